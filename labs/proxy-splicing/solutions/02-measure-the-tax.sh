#!/bin/bash
set -e
netbench tax -t 1
