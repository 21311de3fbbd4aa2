#!/bin/bash
# Two pods, the app and the proxy running, no redirect yet: the learner builds it.
set -euo pipefail
lab-pods up
