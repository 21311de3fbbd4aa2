#!/bin/bash
# Done when the learner's proxy was used in sockmap mode (its log says so) and nothing of the lab is left: the proxy
# stopped, no splice_* pin, and the image's proxy back on :15006.
. /opt/ebpf-labs/lib/check.sh
grep -q '(sockmap)$' /run/ebpf-labs/splice-proxy.log 2>/dev/null || fail never-spliced "Nothing to clean up yet: your proxy has not spliced a connection in this sandbox (step 05)."
pins=$(cd /sys/fs/bpf && ls -d splice_* 2>/dev/null | tr '\n' ' ')
/root/lab/splicectl status >/dev/null 2>&1 && fail proxy-running "Your proxy is still running: splicectl stop (then proxyctl start)."
[ -z "$pins" ] || fail pins-left "Still pinned in /sys/fs/bpf: ${pins% }. Detach the verdict program from splice_socks, then rm them."
proxyctl status >/dev/null 2>&1 || fail proxy-not-back "The image's proxy is not running: proxyctl start (the other labs expect it on :15006)."
pass "Clean: your proxy stopped, no splice_* pins (the kernel freed the program and the maps), and the image's $LAB_PROXY is back on :15006."
