# Helpers for step checks (source it: . /opt/ebpf-labs/lib/check.sh). A check's last output line is what the learner
# reads; a failure can also name its reason, a code the step's hints can be keyed to (README, "Writing a lab").
#   fail CODE "message"   the step is not done: why (CODE: lower-case words and dashes), and what to do
#   pass "message"        the step is done: what the check saw
fail() {
  local code=$1
  shift
  printf '::reason %s\n%s\n' "$code" "$*"
  exit 1
}

pass() {
  printf '%s\n' "$*"
  exit 0
}
