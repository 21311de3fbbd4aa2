#!/bin/bash
# Done when a sock_ops program is attached to the sandbox's own cgroup. Also says so when the learner's program
# (pinned at /sys/fs/bpf/hello) is attached to the root of the machine's cgroup v2 hierarchy, which a sandbox on a
# cgroup v1 host mounts at /run/ebpf-labs/cgroup2 (sandbox-prepare): every process on the machine runs it.
# One bpftool run, read as text (the check runs after every command): the root's attachments, the pinned program
# ("ID: sock_ops  name ..."), then the sandbox cgroup's attachments ("ID  ATTACH_TYPE  [FLAGS]  NAME"). bpftool prints
# nothing for a cgroup with nothing attached, so the program's line is what tells the two lists apart.
. /opt/ebpf-labs/lib/check.sh
PIN=/sys/fs/bpf/hello
ROOT=/run/ebpf-labs/cgroup2
commands=("cgroup show $LAB_CGROUP")
[ -e $PIN ] && commands=("prog show pinned $PIN" "${commands[@]}")
[ -e $PIN ] && [[ $LAB_CGROUP == $ROOT/* ]] && commands=("cgroup show $ROOT" "${commands[@]}")
PROG='^([0-9]+): ' ATTACHED='^([0-9]+) +([a-z_]+) .* ([^ ]+) *$'
id="" at_root="" own=""
while IFS= read -r line; do
  if [[ $line =~ $PROG ]]; then id=${BASH_REMATCH[1]}
  elif [[ $line =~ $ATTACHED ]]; then
    if [ -z "$id" ] && [ -e $PIN ]; then at_root+=" ${BASH_REMATCH[1]} "
    elif [[ ${BASH_REMATCH[2]} == *sock_ops ]]; then own=${own:-"${BASH_REMATCH[3]} (id ${BASH_REMATCH[1]})"}
    fi
  fi
done < <(printf '%s\n' "${commands[@]}" | bpftool batch file - 2>/dev/null)
if [ -n "$id" ] && [[ $at_root == *" $id "* ]]; then
  fail attached-to-root "Your program is attached to $ROOT, the root of the cgroup hierarchy: every process on the machine runs it. Detach it now: bpftool cgroup detach $ROOT sock_ops pinned $PIN (your sandbox's own cgroup is \$LAB_CGROUP)."
fi
[ -z "$own" ] || pass "A sock_ops program, $own, is attached to your cgroup ($LAB_CGROUP): every TCP socket your sandbox's processes use runs it."
[ -z "$id" ] || fail not-attached "The program is loaded (id $id) but not attached: bpftool cgroup attach \$LAB_CGROUP sock_ops pinned $PIN"
[ ! -e /tmp/hello.bpf.o ] || fail not-loaded "The program is built (/tmp/hello.bpf.o) but not loaded: bpftool prog load /tmp/hello.bpf.o $PIN type sockops"
fail not-built "The program is not built yet: build it with clang (the step's clang command), then load it with bpftool prog load."
