#!/bin/bash
set -e
netbench compare -t 1
