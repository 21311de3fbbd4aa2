#!/bin/bash
set -e
splicectl compare -t 1
