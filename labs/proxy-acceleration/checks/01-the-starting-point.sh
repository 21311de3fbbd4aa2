#!/bin/bash
# Done when the proxy has forwarded a connection from the client pod to the app.
if proxyctl log 100 2>/dev/null | grep -qE '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:5201 forwarded to 10\.10\.0\.2:5201'; then
  echo "The proxy forwarded your client's connection to the app: $(proxyctl log 1)"
  exit 0
fi
echo "No connection from the client pod has gone through the proxy yet: run iperf3 -c 10.10.0.2 -t 2 in the client tab."
exit 1
