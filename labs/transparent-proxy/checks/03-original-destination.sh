#!/bin/bash
# Done when the proxy forwarded a client connection to port 8080, an app port it was never configured with, and an
# app in the server pod answered there. The proxy logs every connection, also one it could not forward; its
# "N back" (bytes the app sent back) tells them apart: iperf3's control connection always gets an answer.
# Bash reads the log and the kernel's socket tables (/proc/PID/net/tcp*) itself: the check runs after every command.
. /opt/ebpf-labs/lib/check.sh
PROXY_LOG=/run/ebpf-labs/proxy.log
FORWARDED='^10\.10\.0\.1:[0-9]+ -> 10\.10\.0\.2:8080 forwarded to 10\.10\.0\.2:8080 .*, ([0-9]+) back$'
tried=0 answered=0
while IFS= read -r line; do
  [[ $line =~ $FORWARDED ]] || continue
  tried=1
  ((BASH_REMATCH[1] > 0)) && answered=1
done < <([ -r $PROXY_LOG ] && exec tail -n 500 $PROXY_LOG)
((!answered)) ||
  pass "The proxy forwarded to 10.10.0.2:8080 and the app there answered: the proxy read the original destination (SO_ORIGINAL_DST), no configuration needed."

# Does something listen on 8080 in the network namespace whose socket tables these are? (state 0A: LISTEN)
listens_8080() {
  local table _sl addr _rem st _
  for table in "$@"; do
    while read -r _sl addr _rem st _; do
      [[ $st == 0A && $addr == *:1F90 ]] && return 0
    done <"$table" 2>/dev/null
  done
  return 1
}
# The server pod's tables are those of any process in it: the app's (lab-pods writes its pid), else ask ss there.
read -r app_pid </run/ebpf-labs/iperf3.pid 2>/dev/null
in_server() {
  if [ -n "$app_pid" ] && [ -e "/proc/$app_pid/net/tcp" ]; then listens_8080 "/proc/$app_pid/net/tcp" "/proc/$app_pid/net/tcp6"
  else [[ $(nsenter --net=/run/netns/server ss -Hltn 'sport = :8080' 2>/dev/null) == *LISTEN* ]]; fi
}
refused=""
((!tried)) || refused=" The proxy's connection to 10.10.0.2:8080 was refused, so it closed the client's (\"control socket has closed unexpectedly\")."
if ! in_server; then
  if listens_8080 /proc/self/net/tcp /proc/self/net/tcp6; then
    fail server-outside-pod "iperf3 -s -p 8080 runs in the sandbox, outside the pods: nothing listens on 8080 in the server pod.$refused Stop it (pkill -f 'iperf3 -s -p 8080' in the sandbox tab) and start it in the server tab: iperf3 -s -p 8080 -D"
  fi
  if [[ $(nsenter --net=/run/netns/client ss -Hltn 'sport = :8080' 2>/dev/null) == *LISTEN* ]]; then
    fail server-outside-pod "iperf3 -s -p 8080 runs in the client pod: nothing listens on 8080 in the server pod.$refused Stop it (pkill -f 'iperf3 -s -p 8080' in the client tab) and start it in the server tab: iperf3 -s -p 8080 -D"
  fi
  fail no-server "Nothing listens on port 8080 in the server pod yet.$refused Run iperf3 -s -p 8080 -D in the server tab."
fi
if ((tried)); then
  fail refused-earlier "The proxy forwarded to 10.10.0.2:8080 before anything listened there (the app sent nothing back). A server listens on 8080 now: dial it again from the client tab: iperf3 -c 10.10.0.2 -p 8080 -t 1"
fi
fail no-traffic "A server listens on 8080 in the server pod; now dial it from the client tab: iperf3 -c 10.10.0.2 -p 8080 -t 1"
