#!/bin/bash
set -e
pod client iperf3 -c 10.10.0.2 -t 1
