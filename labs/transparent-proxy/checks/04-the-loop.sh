#!/bin/bash
# Done when the pod's own traffic to its IP is captured (OUTPUT -> PROXY_OUTPUT -> PROXY_INBOUND), a guard that matches
# the proxy's connections (its uid or gid 1337, its source 127.0.0.6, or, for Envoy, its mark 0x539) comes before the
# capture, no looped connection is left open, and the guard's counters show the proxy's connections returning.
# No test traffic of its own: the evidence is the learner's request (the nat table sees each connection's first
# packet, so a rule's packet counter is a connection count), and the proxy's sockets. Two commands run (iptables,
# ss); the rest is bash, as the check runs after every command.
. /opt/ebpf-labs/lib/check.sh
SERVER=/run/netns/server
rules=$(nsenter --net=$SERVER iptables -w -t nat -S -v 2>/dev/null)

# Regular expressions (in variables: bash matches them unquoted).
COUNTERS='^(.*) -c ([0-9]+) [0-9]+(.*)$'   # -S -v prints each rule's counters as "-c PACKETS BYTES"
JUMP_OUT='^-A OUTPUT (-p tcp )?-j PROXY_OUTPUT$'
JUMP_PRE='^-A PREROUTING (-p tcp )?-j PROXY_OUTPUT$'
CAPTURE='-d 10\.10\.0\.2(/32)? .*-j PROXY_INBOUND$'
VERDICT='-j (RETURN|ACCEPT)$'
NEGATED='! (--uid-owner|--gid-owner|--mark|-s) '
UID_RE='--uid-owner ([0-9]+)' GID_RE='--gid-owner ([0-9]+)' MARK_RE='--mark ([0-9a-fx/]+)' SRC_RE='-s ([0-9./]+)'

# One pass over the rules: the jumps, the capture rule and its counter, and PROXY_OUTPUT's RETURN (or ACCEPT) rules
# before and after it, with what they match and their counters.
jump_out=0 jump_pre="" captured=0 capture_pkts=0 guards=()
while IFS= read -r line; do
  pkts=0
  if [[ $line =~ $COUNTERS ]]; then line="${BASH_REMATCH[1]}${BASH_REMATCH[3]}" pkts=${BASH_REMATCH[2]}; fi
  if [[ $line =~ $JUMP_OUT ]]; then jump_out=1; continue; fi
  if [[ $line =~ $JUMP_PRE ]]; then jump_pre=$line; continue; fi
  [[ $line == "-A PROXY_OUTPUT "* ]] || continue
  spec=${line#-A PROXY_OUTPUT }
  if ((!captured)) && [[ $line =~ $CAPTURE ]]; then captured=1 capture_pkts=$pkts; continue; fi
  [[ $line =~ $VERDICT ]] || continue
  kind=other value=-
  if [[ $line =~ $NEGATED ]]; then kind=negated
  elif [[ $line =~ $UID_RE ]]; then kind=uid value=${BASH_REMATCH[1]}
  elif [[ $line =~ $GID_RE ]]; then kind=gid value=${BASH_REMATCH[1]}
  elif [[ $line =~ $MARK_RE ]]; then kind=mark value=${BASH_REMATCH[1]}
  elif [[ $line =~ $SRC_RE ]]; then kind=src value=${BASH_REMATCH[1]}
  fi
  guards+=("$((captured ? 1 : 0))|$kind|$value|$pkts|$spec")
done <<<"$rules"

if ((!captured || !jump_out)); then
  [ -z "$jump_pre" ] || fail not-in-output "PROXY_OUTPUT is jumped to from PREROUTING, which sees connections arriving at the pod. The pod's own connections are made inside it and pass OUTPUT: iptables -t nat ${jump_pre/#-A/-D}; iptables -t nat -A OUTPUT -p tcp -j PROXY_OUTPUT"
  fail no-capture "The pod's own traffic is not captured yet: iptables -t nat -N PROXY_OUTPUT; iptables -t nat -A OUTPUT -p tcp -j PROXY_OUTPUT; iptables -t nat -A PROXY_OUTPUT -p tcp -d 10.10.0.2/32 -j PROXY_INBOUND"
fi

# Does a guard match the proxy's connections to the app? uid/gid 1337 (both proxies run as 1337:1337), source
# 127.0.0.6 (both bind their app leg to it), mark 0x539 (only this lab's Envoy sets SO_MARK; HAProxy sets none).
matches_proxy() {
  case "$1:$2" in
    uid:1337 | gid:1337 | src:127.0.0.6 | src:127.0.0.6/32) return 0 ;;
    mark:0x539 | mark:0x539/*) [ "$LAB_PROXY" = envoy ] ;;
    *) return 1 ;;
  esac
}
good=0 late="" wrong_uid="" mark_guard=""
for g in "${guards[@]}"; do
  IFS='|' read -r after kind value pkts spec <<<"$g"
  if matches_proxy "$kind" "$value"; then
    if ((after)); then late=${late:-$spec}; else good=1; fi
  elif [ "$kind" = uid ] || [ "$kind" = gid ]; then wrong_uid=${wrong_uid:-$kind|$value|$spec}
  elif [ "$kind" = mark ]; then mark_guard=${mark_guard:-$value|$spec}
  fi
done

if ((!good)); then
  if [ -n "$late" ]; then
    fail guard-after-capture "The guard ($late) comes after the capture rule, so the proxy's connections are captured before it is tried: rules match in order. Move it first: iptables -t nat -D PROXY_OUTPUT $late; iptables -t nat -I PROXY_OUTPUT 1 $late"
  fi
  if [ -n "$wrong_uid" ]; then
    IFS='|' read -r kind value spec <<<"$wrong_uid"
    fail wrong-uid "The guard matches ${kind} $value, but the proxy runs as uid and gid 1337 (ps -o uid,gid,cmd -C $LAB_PROXY), so its connections are still captured: iptables -t nat -D PROXY_OUTPUT $spec; iptables -t nat -I PROXY_OUTPUT 1 -m owner --uid-owner 1337 -j RETURN"
  fi
  if [ -n "$mark_guard" ]; then
    IFS='|' read -r value spec <<<"$mark_guard"
    if [ "$LAB_PROXY" = envoy ]; then
      fail mark-no-match "The guard matches mark $value, but Envoy marks its upstream sockets 0x539 (1337, see envoy.yaml), so its connections are still captured. Match its uid instead: iptables -t nat -I PROXY_OUTPUT 1 -m owner --uid-owner 1337 -j RETURN"
    fi
    fail mark-no-match "The guard matches mark $value, but HAProxy does not mark its sockets (only this lab's Envoy configuration sets SO_MARK), so its connections are still captured. Match its uid: iptables -t nat -I PROXY_OUTPUT 1 -m owner --uid-owner 1337 -j RETURN"
  fi
fi

# The proxy's sockets on :15006: LISTEN when it runs (a restart takes a moment: look again), and the connections it
# accepted. Looped ones come from its own upstream address, 127.0.0.6. If the loop reached the proxy's limit, they
# stay open after the client gives up (the newest one waits in the accept queue, so no close ever comes back) until
# the proxy restarts; TIME-WAIT sockets are the kernel's, not the proxy's.
listening=0 looped=0
for _ in 1 2 3 4; do
  while read -r state _ _ _ peer _; do
    case $state in
      LISTEN) listening=1 ;;
      TIME-WAIT) ;;
      *) [[ $peer == 127.0.0.6:* ]] && looped=$((looped + 1)) ;;
    esac
  done < <(nsenter --net=$SERVER ss -Htan 'sport = :15006' 2>/dev/null)
  ((listening)) && break
  looped=0
  sleep 0.15
done

FIX="iptables -t nat -I PROXY_OUTPUT 1 -m owner --uid-owner 1337 -j RETURN; proxyctl restart"
if ((!good)); then
  if ((looped > 0)); then
    fail no-guard "A loop: $looped of the proxy's own connections came back to it and are still open (ss -tn '( sport = :15006 )' in the server tab: from 127.0.0.6). Add the guard first in PROXY_OUTPUT, then restart the proxy: $FIX"
  elif ((capture_pkts > 0)); then
    fail no-guard "A loop: the capture rule caught $capture_pkts connections made in the pod, the proxy's own ones to the app (iptables -t nat -L PROXY_OUTPUT -n -v). Add the guard first in PROXY_OUTPUT, then restart the proxy: $FIX"
  fi
  fail no-guard "The capture is in place, with no guard for the proxy's own connections: send a request from the client tab (timeout 5 iperf3 -c 10.10.0.2 -t 1) and watch the loop, then break it with a guard first in PROXY_OUTPUT."
fi
((listening)) || fail proxy-down "The proxy is not running (nothing listens on :15006 in the server pod): proxyctl start"
if ((looped > 0)); then
  fail loop-still-open "The guard is in place, but $looped connections that looped before it are still open in the proxy (ss -tn '( sport = :15006 )' in the server tab: from 127.0.0.6), and it accepts 3000 at most. Restart it to drop them: proxyctl restart"
fi

# Which guards the proxy's connections took (the first one that matches takes them all), in the chain's order.
total=0 report="" taken=0
for g in "${guards[@]}"; do
  IFS='|' read -r after kind value pkts spec <<<"$g"
  ((after)) && continue
  case $kind in uid | gid | mark | src) ;; *) continue ;; esac
  matches_proxy "$kind" "$value" && total=$((total + pkts))
  if ((pkts > 0)); then
    report+="${report:+; }$spec returned $pkts"
    taken=1
  elif [ "$kind" = mark ] && [ "$LAB_PROXY" != envoy ]; then
    report+="${report:+; }$spec matched none (HAProxy does not mark its sockets)"
  elif ((taken)); then
    report+="${report:+; }$spec matched none (a guard before it took them)"
  else
    report+="${report:+; }$spec matched none yet"
  fi
done
((total > 0)) ||
  fail no-traffic "The guard is in place and no looped connection is left; now send a request from the client tab (iperf3 -c 10.10.0.2 -t 1): the guard's counters will show the proxy's own connections returning (iptables -t nat -L PROXY_OUTPUT -n -v)."
pass "No loop: the proxy's own connections return before the capture: $report (in connections: the nat table sees each one's first packet only)."
