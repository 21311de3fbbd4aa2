#!/bin/bash
# Done when the server pod's nat table captures inbound TCP Istio-style (PREROUTING -> PROXY_INBOUND: ports 22 and
# 15000 RETURN, the rest -> PROXY_IN_REDIRECT -> REDIRECT :15006) and a client connection reached the proxy that way.
# Side effect (checkSideEffects in the step): once the rules are there, one test connection from the client pod to
# each excluded port. The kernel refuses it when the port is excluded (it counts in that RETURN rule); when the port
# is captured, the proxy accepts it, and it shows in the proxy's log. The rules are read with bash, not grep: the
# check runs after every command.
. /opt/ebpf-labs/lib/check.sh
SERVER=/run/netns/server
CLIENT=/run/netns/client
PROXY_LOG=/run/ebpf-labs/proxy.log
rules=$(nsenter --net=$SERVER iptables -w -t nat -S 2>/dev/null)

# One pass: the REDIRECT rules, the jumps, and PROXY_INBOUND's rules in order.
TO_PORTS='--to-ports ([0-9:-]+)$'
JUMP='^-A (PREROUTING|OUTPUT) (-p tcp )?-j PROXY_INBOUND$'
redirect_ok=0 wrong="" jump_inbound=0 jump_pre="" jump_out="" inbound=()
while IFS= read -r line; do
  if [[ $line == *" -j REDIRECT"* ]]; then
    if [[ $line =~ $TO_PORTS && ${BASH_REMATCH[1]} == 15006 ]]; then
      [[ $line == "-A PROXY_IN_REDIRECT "* ]] && redirect_ok=1
    else
      wrong=${wrong:-$line}
    fi
  elif [[ $line =~ $JUMP ]]; then
    [ "${BASH_REMATCH[1]}" = PREROUTING ] && jump_pre=$line || jump_out=$line
  fi
  if [[ $line == "-A PROXY_INBOUND "* ]]; then
    inbound+=("${line#-A PROXY_INBOUND }")
    [[ $line == *"-j PROXY_IN_REDIRECT" ]] && jump_inbound=1
  fi
done <<<"$rules"

# Where REDIRECT rules send connections: only the proxy's port makes sense.
if [ -n "$wrong" ]; then
  if [[ $wrong =~ $TO_PORTS ]]; then
    fail wrong-port "A REDIRECT rule sends connections to port ${BASH_REMATCH[1]}, where nothing listens (the client gets \"Connection refused\"); the proxy listens on 15006. Delete it: iptables -t nat ${wrong/#-A/-D}"
  fi
  fail wrong-port "A REDIRECT rule has no --to-ports: it keeps the port the client dialled, so connections reach the app, not the proxy. Delete it (iptables -t nat ${wrong/#-A/-D}) and redirect to the proxy's port: --to-ports 15006"
fi
((redirect_ok)) ||
  fail no-redirect "PROXY_IN_REDIRECT does not redirect TCP to the proxy yet: iptables -t nat -N PROXY_IN_REDIRECT, then iptables -t nat -A PROXY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006"
((jump_inbound)) ||
  fail no-jump "PROXY_INBOUND does not send connections on to PROXY_IN_REDIRECT: iptables -t nat -A PROXY_INBOUND -p tcp -j PROXY_IN_REDIRECT"
if [ -z "$jump_pre" ]; then
  [ -z "$jump_out" ] || fail not-prerouting "The jump to PROXY_INBOUND is in OUTPUT, which sees only connections made inside the pod; connections arriving from the client pass PREROUTING. Move it: iptables -t nat ${jump_out/#-A/-D}; iptables -t nat -A PREROUTING -p tcp -j PROXY_INBOUND"
  fail no-prerouting "Inbound connections do not reach PROXY_INBOUND yet: iptables -t nat -A PREROUTING -p tcp -j PROXY_INBOUND"
fi

# The excluded ports, tried for real: the kernel decides in which order the rules match, not this script.
captured=$(nsenter --net=$CLIENT timeout 2 bash -c '
  for port in 22 15000; do (exec 3<>"/dev/tcp/10.10.0.2/$port") 2>/dev/null && echo "$port"; done' 2>/dev/null)
for port in $captured; do
  what=$([ "$port" = 22 ] && echo ssh || echo "the proxy's admin port")
  ret=0 jump=0
  for i in "${!inbound[@]}"; do
    [[ ${inbound[$i]} == *"--dport $port -j RETURN" ]] && ((!ret)) && ret=$((i + 1))
    [[ ${inbound[$i]} == *"-j PROXY_IN_REDIRECT" ]] && ((!jump)) && jump=$((i + 1))
  done
  if ((!ret)); then
    fail exclusion-missing "A test connection to port $port ($what) reached the proxy: PROXY_INBOUND has no RETURN for port $port. Insert one before the redirect: iptables -t nat -I PROXY_INBOUND 1 -p tcp --dport $port -j RETURN"
  elif ((ret > jump)); then
    fail exclusion-after-jump "A test connection to port $port ($what) reached the proxy: its RETURN comes after the jump to PROXY_IN_REDIRECT, so it never matches (rules match in order). Move it first: iptables -t nat -D PROXY_INBOUND -p tcp --dport $port -j RETURN; iptables -t nat -I PROXY_INBOUND 1 -p tcp --dport $port -j RETURN"
  fi
  fail exclusion-missing "A test connection to port $port ($what) reached the proxy, although PROXY_INBOUND lets it through: another rule redirects it first (iptables -t nat -S in the server tab)."
done

forwarded=$(grep -cE '^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:5201 forwarded to ' "$PROXY_LOG" 2>/dev/null)
((${forwarded:-0} > 0)) ||
  fail no-traffic "The rules are in place (test connections to ports 22 and 15000 were refused, not captured); now send traffic from the client tab (iperf3 -c 10.10.0.2 -t 1) and see it reach the proxy: proxyctl log 2"
pass "Inbound TCP goes to the proxy, ports 22 and 15000 excepted (the check's test connections to them were refused, not captured), and the proxy forwarded $forwarded client connection(s) to the app."
