# Regenerates the solution scripts that carry reference files (heredocs), from solutions/files.
import sys
import os
d=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..') + '/'
def heredoc(name, tag):
    body=open(d+'solutions/files/'+name).read()
    assert tag not in body
    return f"cat > /root/lab/{name} <<'{tag}'\n{body}{tag}\n"
open(d+'solutions/03-splice.sh','w').write('''#!/bin/bash
# The reference proxy (solutions/files/splice-proxy.c: TODO 1 to 5 done), then splice mode.
set -e
'''+heredoc('splice-proxy.c','END_OF_SPLICE_PROXY_C')+'''make -C /root/lab splice-proxy
splicectl restart splice
''')
open(d+'solutions/04-the-verdict-program.sh','w').write('''#!/bin/bash
# The reference verdict program (solutions/files/splice.bpf.c), built, loaded and attached to the sockhash.
set -e
'''+heredoc('splice.bpf.c','END_OF_SPLICE_BPF_C')+'''cd /root/lab
make splice.bpf.o
bpftool prog load splice.bpf.o /sys/fs/bpf/splice_verdict type sk_skb
bpftool prog attach pinned /sys/fs/bpf/splice_verdict stream_verdict pinned /sys/fs/bpf/splice_socks
''')
