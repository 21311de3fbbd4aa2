# Lab environment for login shells (LAB_CGROUP, LAB_PROXY, ...), written by sandbox-prepare.
if [ -r /etc/ebpf-labs/env ]; then set -a; . /etc/ebpf-labs/env; set +a; fi
export PATH=/opt/ebpf-labs/bin:$PATH

if [ -n "${BASH_VERSION:-}" ] && [ -n "${PS1:-}" ]; then
  # The prompt names the pod the shell is in.
  if [ -n "${LAB_POD:-}" ]; then
    PS1='\[\e[1;36m\]${LAB_POD}\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]# '
  else
    PS1='\[\e[1;32m\]sandbox\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]# '
  fi
  # After every command, an invisible marker (OSC 6973) with its exit status. The server removes it from the
  # output and runs the step's check right away (lib/terminal/markers.ts).
  __lab_command_done() { printf '\033]6973;done;%s\007' "$1"; }
  PROMPT_COMMAND='__lab_command_done $?'
  HISTCONTROL=ignoreboth
fi
