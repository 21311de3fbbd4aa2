#!/bin/bash
# splice-proxy.c is complete since step 03's solution: sockmap mode.
set -e
splicectl restart sockmap
