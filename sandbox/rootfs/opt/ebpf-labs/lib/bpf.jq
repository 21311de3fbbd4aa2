# jq helpers for bpftool's JSON (include with: jq -L /opt/ebpf-labs/lib 'include "bpf"; ...').
# bpftool prints a map's keys and values as arrays of "0x.." bytes; with BTF it adds a "formatted" copy.

# "0x1f" -> 31
def hexbyte: ltrimstr("0x") | ascii_downcase | explode | map(if . >= 97 then . - 87 else . - 48 end) | reduce .[] as $d (0; . * 16 + $d);

# Little-endian bytes -> number (the host order of this machine's integers).
def le: reduce (map(hexbyte) | reverse)[] as $b (0; . * 256 + $b);

# Big-endian (network order) bytes -> number.
def be: reduce map(hexbyte)[] as $b (0; . * 256 + $b);

# Four bytes in network order -> "a.b.c.d".
def ip4: map(hexbyte | tostring) | join(".");

# A value as a number, from "formatted" when bpftool has BTF, from the bytes otherwise.
def number: if type == "array" then le else . end;

# accel_socks key bytes (struct sock_key: two IPv4 addresses in network order, two u32 ports in host order).
def sockkey: {local_ip: .[0:4] | ip4, remote_ip: .[4:8] | ip4, local_port: .[8:12] | le, remote_port: .[12:16] | le};
