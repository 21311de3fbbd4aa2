#!/bin/bash
set -e
# One size keeps the self-test short; the learner measures three.
splicectl compare -t 1 -s 1024
