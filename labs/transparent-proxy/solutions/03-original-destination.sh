#!/bin/bash
set -e
pod server iperf3 -s -p 8080 -D
sleep 0.3
pod client iperf3 -c 10.10.0.2 -p 8080 -t 1
