#!/bin/bash
# Done when the app has accepted a connection straight from the client pod.
if grep -q 'Accepted connection from 10.10.0.1' /run/ebpf-labs/app.log 2>/dev/null; then
  echo "The app accepted a connection from the client pod (10.10.0.1), directly."
  exit 0
fi
echo "The app has not seen the client yet: run iperf3 -c 10.10.0.2 -t 1 in the client tab."
exit 1
