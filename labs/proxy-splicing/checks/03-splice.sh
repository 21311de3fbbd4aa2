#!/bin/bash
# Done when the learner's proxy runs in splice mode and one test connection through it (to a listener this check opens
# on :7001 in the server pod) carries 200000 bytes, passes on the client's half-close, and brings the server's answer
# back: TODO 1 (the splice calls) and TODO 3 (the half-close). One perl process on each side: a check runs often.
. /opt/ebpf-labs/lib/check.sh
stats() { nsenter --net=/run/netns/server bash -c 'exec 3<>/dev/tcp/127.0.0.1/15000 && head -n 1 <&3' 2>/dev/null; }
s=$(stats)
[ -n "$s" ] || fail not-running "Your proxy is not running: make -C ~/lab, then splicectl restart splice."
mode=$(grep -o '"mode":"[a-z]*"' <<<"$s" | cut -d'"' -f4)
[ "$mode" = splice ] || fail wrong-mode "Your proxy runs in $mode mode: make -C ~/lab, then splicectl restart splice."
ready=$(mktemp)
# The server reads to EOF, then answers with what it got; the client half-closes after its 200000 bytes.
timeout 8 pod server perl -MIO::Socket::INET -e '
  my $up = IO::Socket::INET->new(LocalPort => 7001, Listen => 1, ReuseAddr => 1) or die;
  print "ready\n"; close STDOUT;
  my $c = $up->accept; my ($n, $b, $r) = (0); while (($r = sysread($c, $b, 65536)) > 0) { $n += $r } print $c "got $n\n"; close $c' > "$ready" 2>/dev/null &
for _ in $(seq 100); do [ -s "$ready" ] && break; sleep 0.05; done
rm -f "$ready"
reply=$(timeout 8 pod client perl -MIO::Socket::INET -e '
  $SIG{ALRM} = sub { die "timeout\n" };
  my $got = ""; eval { alarm 3; my $c = IO::Socket::INET->new("10.10.0.2:7001") or die;
    print $c "\0" x 200000; shutdown($c, 1); $got = <$c> // ""; chomp $got; alarm 0 };
  print "$got\n"' 2>/dev/null)
wait
t=$(stats)
[ -n "$t" ] || fail crashed "Your proxy stopped answering during the test connection: splicectl log, and /run/ebpf-labs/splice-proxy.log, say why; make, splicectl restart splice."
read -r moved splices < <(jq -rn --argjson s "$s" --argjson t "$t" '"\($t.data_bytes - $s.data_bytes) \($t.data_reads - $s.data_reads)"')
[ "$reply" = "got 200000" ] && pass "splice moved the test connection's bytes ($moved in $splices splices) and passed on its half-close: the server's answer came back."
[ "$moved" -gt 0 ] || fail no-splice "Your proxy moved no bytes in splice mode (the connection ended at once): complete TODO 1 in move() (splice from the socket into the pipe, then from the pipe to the other socket), make, splicectl restart splice."
case "$reply" in
  "got "*) fail bytes-lost "The server got ${reply#got } bytes of 200000: some were lost on the way. Splice everything the pipe holds to the other socket (TODO 1), make, splicectl restart splice." ;;
  "") fail half-close "The client's half-close did not come through: the server never answered (the client sends its bytes, then shuts down its sending side and waits for the answer). On EOF, shutdown(SHUT_WR) the other socket and keep the other direction going (TODO 3), make, splicectl restart splice." ;;
esac
fail bytes-lost "The server answered \"${reply:0:60}\" instead of got 200000: check TODO 1, make, splicectl restart splice."
