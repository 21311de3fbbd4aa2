#!/bin/bash
set -e
pod server bash -c '
iptables -t nat -N PROXY_OUTPUT
iptables -t nat -A OUTPUT -p tcp -j PROXY_OUTPUT
iptables -t nat -A PROXY_OUTPUT -p tcp -d 10.10.0.2/32 -j PROXY_INBOUND
iptables -t nat -I PROXY_OUTPUT 1 -m owner --uid-owner 1337 -j RETURN'
proxyctl restart
pod client iperf3 -c 10.10.0.2 -t 1
