# Shared by the lab tools in /opt/ebpf-labs/bin (sourced): the topology's constants and how to run in a pod.
# The topology: two network namespaces ("pods") joined by a veth pair, eth0 on both sides.
#   client pod 10.10.0.1  <-- veth -->  server pod 10.10.0.2: the app (iperf3 :5201, sockperf :11111) and the
#                                       transparent proxy (:15006, uid 1337, admin on 127.0.0.1:15000)
. /etc/profile.d/ebpf-labs.sh
CLIENT_IP=10.10.0.1
SERVER_IP=10.10.0.2
POD_PREFIX=24
PROXY_PORT=15006
PROXY_UID=1337
PROXY_ADMIN=127.0.0.1:15000
IPERF_PORT=5201
SOCKPERF_PORT=11111
STATE=/run/ebpf-labs
mkdir -p "$STATE"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

pod_exists() { [ -e "/run/netns/$1" ]; }

# The CPU the benchmark participants (client, proxy, app) are pinned to, or "none". Default: the last CPU.
pin_cpu() { cat "$STATE/pin" 2>/dev/null || echo $(( $(nproc) - 1 )); }

# taskset prefix for the current pinning (empty when unpinned).
pinned() { local c; c=$(pin_cpu); [ "$c" = none ] || echo "taskset -c $c"; }

# netns POD CMD...: runs CMD in the pod's network namespace only (tools that look, like ss, iptables, tc).
netns() { local pod=$1; shift; nsenter --net="/run/netns/$pod" "$@"; }

# in_pod POD CMD...: runs CMD in the pod's network namespace and cgroup (sockets it creates belong to the pod).
# nsenter rather than "ip netns exec": the latter remounts /sys for the namespace, which hides /sys/fs/bpf (and
# every pinned program and map) from the command.
in_pod() {
  local pod=$1; shift
  pod_exists "$pod" || die "there is no $pod pod: run lab-pods up"
  ( exec_in_pod "$pod" "$@" )
}

# exec_in_pod POD CMD...: like in_pod, but replaces the current shell, so that the caller's PID is the command's
# (a signal sent to "pod server tcpdump &" reaches tcpdump).
exec_in_pod() {
  local pod=$1; shift
  pod_exists "$pod" || die "there is no $pod pod: run lab-pods up"
  [ -d "$LAB_CGROUP/$pod" ] && echo "$BASHPID" > "$LAB_CGROUP/$pod/cgroup.procs"
  exec nsenter --net="/run/netns/$pod" "$@"
}
