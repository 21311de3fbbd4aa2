#!/bin/bash
# Done when /root/lab/lo.pcap holds proxy<->app handshakes and no data beyond each connection's first message.
pcap=/root/lab/lo.pcap
if [ ! -s "$pcap" ]; then
  echo "No capture yet: run tcpdump -ni lo -w /root/lab/lo.pcap 'tcp and host 127.0.0.6' in the server tab while iperf3 runs."
  exit 1
fi
syns=$(tcpdump -nr "$pcap" 'tcp[tcpflags] & tcp-syn != 0 and host 127.0.0.6' 2>/dev/null | wc -l)
if [ "$syns" -eq 0 ]; then
  echo "The capture has no proxy<->app handshakes: start tcpdump first, then iperf3, so the capture sees new connections."
  exit 1
fi
# Data segments (IP length minus IP and TCP headers > 0), counted per direction of each connection.
data='(((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)'
extra=$(tcpdump -nr "$pcap" "host 127.0.0.6 and $data" 2>/dev/null | awk '{ n[$3 " " $5]++ } END { s = 0; for (k in n) if (n[k] > 1) s += n[k] - 1; print s }')
if [ "${extra:-0}" -gt 0 ]; then
  echo "$extra data segments crossed lo between the proxy and the app after their connections' first message: was the acceleration attached when these connections started?"
  exit 1
fi
echo "Loopback saw $syns handshake packets with SYN and no proxy<->app data: the messages went socket to socket."
