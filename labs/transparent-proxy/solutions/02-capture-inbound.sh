#!/bin/bash
set -e
pod server bash -c '
iptables -t nat -N PROXY_IN_REDIRECT
iptables -t nat -A PROXY_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
iptables -t nat -N PROXY_INBOUND
iptables -t nat -A PROXY_INBOUND -p tcp --dport 22 -j RETURN
iptables -t nat -A PROXY_INBOUND -p tcp --dport 15000 -j RETURN
iptables -t nat -A PROXY_INBOUND -p tcp -j PROXY_IN_REDIRECT
iptables -t nat -A PREROUTING -p tcp -j PROXY_INBOUND'
pod client iperf3 -c 10.10.0.2 -t 1
