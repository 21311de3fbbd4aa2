#!/bin/bash
set -e
netbench tax -t 2
