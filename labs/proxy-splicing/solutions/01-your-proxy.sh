#!/bin/bash
set -e
make -C /root/lab
splicectl start copy
pod client iperf3 -c 10.10.0.2 -t 1
