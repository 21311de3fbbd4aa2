#!/bin/bash
# Done when the learner's proxy was used in sockmap mode (its log says so) and nothing of the lab is left: the proxy
# stopped, no splice_* pin, and the image's proxy back (its pid alive). Pid files rather than the tools' status
# commands: a check runs after every command.
. /opt/ebpf-labs/lib/check.sh
grep -q '(sockmap)$' /run/ebpf-labs/splice-proxy.log 2>/dev/null || fail never-spliced "Nothing to clean up yet: your proxy has not spliced a connection in this sandbox (step 05)."
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
alive /run/ebpf-labs/splice-proxy.pid && fail proxy-running "Your proxy is still running: splicectl stop (then proxyctl start)."
pins=$(cd /sys/fs/bpf && ls -d splice_* 2>/dev/null | tr '\n' ' ')
[ -z "$pins" ] || fail pins-left "Still pinned in /sys/fs/bpf: ${pins% }. Detach the verdict program from splice_socks, then rm them."
alive /run/ebpf-labs/proxy.pid || fail proxy-not-back "The image's proxy is not running: proxyctl start (the other labs expect it on :15006)."
pass "Clean: your proxy stopped, no splice_* pins (the kernel freed the program and the maps), and the image's $LAB_PROXY is back on :15006."
