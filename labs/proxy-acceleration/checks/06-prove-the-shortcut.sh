#!/bin/bash
# Done when /root/lab/lo.pcap holds proxy<->app handshakes and no data beyond each connection's first message, per
# direction. When data did cross lo, its direction and the capture's time against the programs' tell the cause.
. /opt/ebpf-labs/lib/check.sh
pcap=/root/lab/lo.pcap
[ -s "$pcap" ] || fail no-capture "No capture yet: run tcpdump -ni lo -w /root/lab/lo.pcap 'tcp and host 127.0.0.6' in the server tab, then iperf3 in the client tab."
# One pass: packets with SYN, the first one's time, and data segments beyond the first of each direction of each
# connection, from the proxy (127.0.0.6) to the app and back. tcpdump's "length" is the TCP payload.
read -r syns first p2a a2p < <(tcpdump -tt -nr "$pcap" 'tcp and host 127.0.0.6' 2>/dev/null | awk '
  { len = 0; for (i = 6; i < NF; i++) if ($i == "length") len = $(i + 1) + 0
    if ($6 == "Flags" && $7 ~ /S/) { syns++; if (!first) first = int($1) }
    if (len > 0) n[$3 " " $5]++ }
  END { for (k in n) if (k ~ /^127\.0\.0\.6\./) p += n[k] - 1; else a += n[k] - 1; print syns + 0, first + 0, p + 0, a + 0 }')
[ "$syns" -gt 0 ] || fail capture-late "The capture has no proxy<->app handshakes: it started after iperf3's connections were made. Start tcpdump first, then iperf3, so that the capture sees connections begin."
read -r id loaded < <(/opt/ebpf-labs/bpf/accel/accel-probe sockops-loaded)
[ -n "$id" ] || fail not-attached "The acceleration is not attached now (no sock_ops program on the server pod's cgroup): attach it again (step 05), then capture again."
[ "$p2a" -eq 0 ] && [ "$a2p" -eq 0 ] && pass "Loopback saw $syns handshake packets with SYN and no proxy<->app data beyond each connection's first message: the messages went socket to socket."

# The load time has a second's resolution: a capture that began over a second before the load is older.
[ "$first" -lt $((loaded - 1)) ] && fail capture-before-accel "The connections in this capture started before the sock_ops program attached now was loaded (at $(date -d "@$loaded" +%T)): capture again (tcpdump first, then iperf3)."
[ "$p2a" -eq 0 ] && fail app-to-proxy "$a2p data segments from the app to the proxy crossed lo, while the proxy's messages to the app were redirected: the app's sockets are IPv4-mapped AF_INET6 ones (iperf3 listens on [::]), and sk_msg does not find their peer. Fix the IPv4-mapped branch of redirect.bpf.c (TODO 2), build, load again (step 05), capture again."
[ "$a2p" -eq 0 ] && fail proxy-to-app "$p2a data segments from the proxy to the app crossed lo, while the app's replies were redirected: the proxy's sockets are AF_INET ones, and sk_msg does not find their peer. Fix the AF_INET branch of redirect.bpf.c (TODO 1), build, load again (step 05), capture again."
fail both-ways "$p2a data segments from the proxy to the app and $a2p back crossed lo: these connections were not redirected either way. Most likely the app's sockets (IPv4-mapped: iperf3 listens on [::]) never entered accel_socks: dump the map during a run; if no key has 10.10.0.2:5201 as its local end, fix sockops.bpf.c (TODO 2), build, load again (step 05), capture again."
