#!/bin/bash
# Done when the proxy forwarded a client connection to port 8080, an app port it was never configured with.
if proxyctl log 200 | grep -qE '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:8080 forwarded to 10\.10\.0\.2:8080'; then
  echo "The proxy forwarded to 10.10.0.2:8080: it read the original destination (SO_ORIGINAL_DST), no configuration needed."
  exit 0
fi
if ! pod server ss -Hltn 'sport = :8080' | grep -q LISTEN; then
  echo "Nothing listens on port 8080 in the server pod yet: run iperf3 -s -p 8080 -D in the server tab."
else
  echo "A server listens on 8080; now dial it from the client tab: iperf3 -c 10.10.0.2 -p 8080 -t 1"
fi
exit 1
