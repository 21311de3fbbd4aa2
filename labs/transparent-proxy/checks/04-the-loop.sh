#!/bin/bash
# Done when the pod's own traffic to its IP is captured (OUTPUT -> PROXY_OUTPUT) with a loop guard for the
# proxy's uid or mark first, and one client connection makes exactly one proxy connection (no loop).
rules=$(pod server iptables -w -t nat -S 2>/dev/null)
if ! grep -qE -- '^-A OUTPUT -p tcp -j PROXY_OUTPUT$' <<<"$rules" || ! grep -qE -- '^-A PROXY_OUTPUT -d 10\.10\.0\.2/32 -p tcp -j PROXY_INBOUND$' <<<"$rules"; then
  echo "The pod's own traffic is not captured yet: add the OUTPUT -> PROXY_OUTPUT rules of this step."
  exit 1
fi
first=$(grep -E -- '^-A PROXY_OUTPUT ' <<<"$rules" | head -n 1)
if ! grep -qE -- '(--uid-owner 1337|--mark 0x539(/0xffffffff)?) -j RETURN$' <<<"$first"; then
  guard=$(grep -nE -- '^-A PROXY_OUTPUT .*(--uid-owner 1337|--mark 0x539).* -j RETURN' <<<"$(grep -E -- '^-A PROXY_OUTPUT ' <<<"$rules")" | head -1)
  if [ -n "$guard" ]; then
    echo "The loop guard comes after the capture rule, so it never matches: insert it first (iptables -t nat -I PROXY_OUTPUT 1 ...)."
  else
    echo "The proxy's own connections are captured too (a loop): add iptables -t nat -I PROXY_OUTPUT 1 -m owner --uid-owner 1337 -j RETURN"
  fi
  exit 1
fi
before=$(proxyctl stats --json | jq .connections_total)
pod client sockperf ping-pong --tcp -i 10.10.0.2 -p 11111 -t 1 >/dev/null 2>&1 || { echo "A test connection through the proxy failed: is the proxy running? proxyctl restart"; exit 1; }
after=$(proxyctl stats --json | jq .connections_total)
if [ $((after - before)) -ne 1 ]; then
  echo "One test connection made $((after - before)) proxy connections: something still loops. Restart the proxy (proxyctl restart) and check PROXY_OUTPUT."
  exit 1
fi
echo "No loop: the proxy's own connections return before the capture (guard: ${first#-A PROXY_OUTPUT }), one client connection = one proxy connection."
