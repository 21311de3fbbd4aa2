#!/bin/bash
# Done when the server pod's nat table redirects inbound TCP to :15006 Istio-style (with the excluded ports), and a
# connection from the client went through the proxy because of it.
rules=$(pod server iptables -w -t nat -S 2>/dev/null)
if ! grep -qE -- '^-A PROXY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006$' <<<"$rules"; then
  echo "PROXY_IN_REDIRECT does not redirect TCP to port 15006 yet: iptables -t nat -A PROXY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006"
  exit 1
fi
if ! grep -qE -- '^-A PROXY_INBOUND -p tcp -m tcp --dport 22 -j RETURN$' <<<"$rules"; then
  echo "PROXY_INBOUND does not let port 22 through: iptables -t nat -A PROXY_INBOUND -p tcp --dport 22 -j RETURN (before the redirect)"
  exit 1
fi
if ! grep -qE -- '^-A PROXY_INBOUND -p tcp -j PROXY_IN_REDIRECT$' <<<"$rules"; then
  echo "PROXY_INBOUND does not send the rest to PROXY_IN_REDIRECT: iptables -t nat -A PROXY_INBOUND -p tcp -j PROXY_IN_REDIRECT"
  exit 1
fi
if ! grep -qE -- '^-A PREROUTING -p tcp -j PROXY_INBOUND$' <<<"$rules"; then
  echo "Inbound connections do not reach PROXY_INBOUND: iptables -t nat -A PREROUTING -p tcp -j PROXY_INBOUND"
  exit 1
fi
if ! proxyctl log 100 | grep -qE '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:5201 forwarded'; then
  echo "The rules are in place; now send traffic from the client tab (iperf3 -c 10.10.0.2 -t 1) and see it reach the proxy."
  exit 1
fi
echo "Inbound TCP is redirected to the proxy, which forwarded $(proxyctl log 100 | grep -cE '^10\.10\.0\.1:') client connection(s) to the app."
