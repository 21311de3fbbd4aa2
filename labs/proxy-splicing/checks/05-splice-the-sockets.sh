#!/bin/bash
# Done when the learner's proxy runs in sockmap mode and two test connections through it behave: a request/response
# (the first request arrives before the sockets are in the map: early bytes) gets the server's answer with the bytes
# redirected in the kernel and none read by the proxy, and a half-closed upload gets the server's answer. The
# listeners are this check's, on :7000 and :7001 in the server pod (their traffic shows in the learner's counters).
. /opt/ebpf-labs/lib/check.sh
s=$(/root/lab/splicectl stats --json 2>/dev/null) || fail not-running "Your proxy is not running: make -C ~/lab, then splicectl restart sockmap."
[ "$(jq -r .mode <<<"$s")" = sockmap ] || fail wrong-mode "Your proxy runs in $(jq -r .mode <<<"$s") mode: make -C ~/lab, then splicectl restart sockmap."
[ -e /sys/fs/bpf/splice_verdict ] || fail not-loaded "No verdict program is loaded (step 04): load and attach ~/lab/splice.bpf.o."
redirected() { bpftool -j map dump pinned /sys/fs/bpf/splice_stats 2>/dev/null | jq '[.[] | .formatted.value] | .[0] // 0'; }
listening() { for _ in $(seq 40); do nsenter --net=/run/netns/server ss -Hltn "sport = :$1" | grep -q LISTEN && return; sleep 0.05; done; }
r0=$(redirected)
# Request/response: the server answers every line with "pong" and the line; the client sends at once after connect.
timeout 3 pod server perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 7000, Listen => 1, ReuseAddr => 1) or die;
  $c = $s->accept; while (<$c>) { print $c "pong $_"; $c->flush }' &
listening 7000
rr=$(timeout 2 pod client perl -MIO::Socket::INET -e '$c = IO::Socket::INET->new("10.10.0.2:7000") or die; $c->autoflush(1);
  for $i (1 .. 3) { print $c "ping $i\n"; local $SIG{ALRM} = sub { exit }; alarm 1; $l = <$c>; alarm 0; print $l }' 2>/dev/null | tr '\n' ' ')
kill %1 2>/dev/null
# Upload and half-close: the server reads to EOF, then answers with the count.
timeout 3 pod server perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 7001, Listen => 1, ReuseAddr => 1) or die;
  $c = $s->accept; $n = 0; while (($r = sysread($c, $b, 65536)) > 0) { $n += $r } print $c "got $n\n"; close $c' &
listening 7001
hc=$(head -c 300000 /dev/zero | timeout 2 pod client nc -N 10.10.0.2 7001 2>/dev/null)
kill %2 2>/dev/null; wait 2>/dev/null
t=$(/root/lab/splicectl stats --json 2>/dev/null)
d() { echo $(( $(jq ".$1" <<<"$t") - $(jq ".$1" <<<"$s") )); }
reads=$(d data_reads); early=$(d early_bytes); moved=$(( $(redirected) - r0 ))
if [ "$rr" != "pong ping 1 pong ping 2 pong ping 3 " ]; then
  case "$rr" in
    "ping 1 "*) [ "$reads" -gt 0 ] && fail ingress "The client got its own request back, and your proxy read $reads chunks: the verdict program queued the bytes on the peer socket's receive queue (BPF_F_INGRESS), where the proxy read them and sent them back. Redirect to the peer's egress: flags 0 (TODO 2), make, reload, splicectl restart sockmap."
      fail wrong-key "The client got its own request back: every socket sent its bytes out of itself. Each socket goes into splice_socks under its PEER's cookie (the verdict program looks up the cookie of the socket the bytes arrived on): TODO 2 in splice-proxy.c, make, splicectl restart sockmap." ;;
    "") [ "$early" -eq 0 ] && fail early-bytes "The first request never got an answer: it arrived before the sockets were in the map, so no verdict ran for it, and the proxy did not forward it (0 early bytes). Forward what is already queued after the insert (TODO 3), make, splicectl restart sockmap."
      fail no-answer "No answer to the first request (the proxy forwarded $early early bytes): is splice_verdict attached to splice_socks (step 04)? splicectl log and bpftool map dump pinned /sys/fs/bpf/splice_stats tell more." ;;
  esac
  fail no-answer "The request/response test got \"${rr:0:80}\" instead of pong ping 1 .. 3: splicectl log, and the splice_stats counters, tell more."
fi
[ "$moved" -gt 0 ] || fail not-redirected "The test connections worked but the verdict program redirected nothing: your proxy moved the bytes in user space ($reads reads). Are the sockets inserted (TODO 2) and the verdict program attached (step 04)?"
[ "$reads" -eq 0 ] || fail reads "Your proxy still read $reads chunks of payload in sockmap mode: some skbs were passed to user space (misses in splice_stats slot 2). Is every socket inserted under its peer's cookie (TODO 2)?"
[ "$hc" = "got 300000" ] || fail half-close "The half-closed upload got \"${hc:0:40}\" instead of got 300000: on EOF, shutdown(SHUT_WR) the other socket and keep the other direction going (TODO 4; flush_before_eof first), make, splicectl restart sockmap."
pass "Spliced in the kernel: $moved skbs redirected, 0 payload reads by your proxy, $early early bytes forwarded by hand; the half-close came through and the server's answer came back."
