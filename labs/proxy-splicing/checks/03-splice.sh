#!/bin/bash
# Done when the learner's proxy runs in splice mode and one test connection through it (to a listener this check opens
# on :7000 in the server pod) carries 200000 bytes, passes on the client's half-close, and brings the server's answer
# back: TODO 1 (the splice calls) and TODO 4 (the half-close).
. /opt/ebpf-labs/lib/check.sh
s=$(/root/lab/splicectl stats --json 2>/dev/null) || fail not-running "Your proxy is not running: make -C ~/lab, then splicectl restart splice."
[ "$(jq -r .mode <<<"$s")" = splice ] || fail wrong-mode "Your proxy runs in $(jq -r .mode <<<"$s") mode: make -C ~/lab, then splicectl restart splice."
# The server reads to EOF, then answers with what it got; the client (nc -N) half-closes after its 200000 bytes.
timeout 3 pod server perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => 7000, Listen => 1, ReuseAddr => 1) or die;
  $c = $s->accept; $n = 0; while (($r = sysread($c, $b, 65536)) > 0) { $n += $r } print $c "got $n\n"; close $c' &
for _ in $(seq 40); do nsenter --net=/run/netns/server ss -Hltn 'sport = :7000' | grep -q LISTEN && break; sleep 0.05; done
reply=$(head -c 200000 /dev/zero | timeout 2 pod client nc -N 10.10.0.2 7000 2>/dev/null)
kill %1 2>/dev/null; wait 2>/dev/null
t=$(/root/lab/splicectl stats --json 2>/dev/null)
moved=$(( $(jq .data_bytes <<<"$t") - $(jq .data_bytes <<<"$s") ))
[ "$reply" = "got 200000" ] && pass "splice moved the test connection's bytes ($moved in $(( $(jq .data_reads <<<"$t") - $(jq .data_reads <<<"$s") )) splices) and passed on its half-close: the server's answer came back."
[ "$moved" -gt 0 ] || fail no-splice "Your proxy moved no bytes in splice mode (the connection ended at once): complete TODO 1 in move() (splice from the socket into the pipe, then from the pipe to the other socket), make, splicectl restart splice."
case "$reply" in
  "got "*) fail bytes-lost "The server got ${reply#got } bytes of 200000: some were lost on the way. Splice everything the pipe holds to the other socket (TODO 1), make, splicectl restart splice." ;;
  "") fail half-close "The client's half-close did not come through: the server never answered (nc -N sends its bytes, then shuts down its sending side and waits for the answer). On EOF, shutdown(SHUT_WR) the other socket and keep the other direction going (TODO 4), make, splicectl restart splice." ;;
esac
fail bytes-lost "The server answered \"${reply:0:60}\" instead of got 200000: check TODO 1, make, splicectl restart splice."
