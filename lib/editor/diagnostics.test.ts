import { describe, expect, it } from 'vitest';
import { parseClangDiagnostics, parseVerifierLog, workspaceRelative } from './diagnostics';

// Real output: make in /root/lab after a syntax error at the end of sockops.bpf.c, and a warning in an include.
const CLANG_OUT = `clang -O2 -g -Wall -target bpf -I/usr/include/x86_64-linux-gnu -c sockops.bpf.c -o sockops.bpf.o
sockops.bpf.c:60:8: error: expected parameter declarator
int f( { return 0 }
       ^
sockops.bpf.c:60:6: note: to match this '('
./accel.h:70:9: warning: unused variable 'x' [-Wunused-variable]
/root/lab/accel.h:71:1: fatal error: too many errors emitted, stopping now [-ferror-limit=]
/usr/include/linux/bpf.h:3:2: error: something in a system header
make: *** [Makefile:9: sockops.bpf.o] Error 1
`;

describe('parseClangDiagnostics', () => {
  it('maps each diagnostic to a workspace file, line and column', () => {
    expect(parseClangDiagnostics(CLANG_OUT, '/root/lab')).toEqual([
      { path: 'sockops.bpf.c', line: 60, column: 8, severity: 'error', message: 'expected parameter declarator', inWorkspace: true },
      { path: 'sockops.bpf.c', line: 60, column: 6, severity: 'note', message: "to match this '('", inWorkspace: true },
      { path: 'accel.h', line: 70, column: 9, severity: 'warning', message: "unused variable 'x' [-Wunused-variable]", inWorkspace: true },
      { path: 'accel.h', line: 71, column: 1, severity: 'error', message: 'too many errors emitted, stopping now [-ferror-limit=]', inWorkspace: true },
      { path: '/usr/include/linux/bpf.h', line: 3, column: 2, severity: 'error', message: 'something in a system header', inWorkspace: false },
    ]);
  });

  it('finds nothing in a clean build', () => {
    expect(parseClangDiagnostics('clang -c a.c -o a.o\n', '/root/lab')).toEqual([]);
  });

  it('does not call a path that climbs out of the workspace a workspace file', () => {
    expect(workspaceRelative('../etc/x.h', '/root/lab').inWorkspace).toBe(false);
  });
});

// Real output of bpftool prog load for a sock_ops program that writes a read-only context field (kernel 6.18).
const VERIFIER_OUT = `libbpf: prog 'accel_sockops': BPF program load failed: Permission denied
libbpf: prog 'accel_sockops': -- BEGIN PROG LOAD LOG --
0: R1=ctx() R10=fp0
; int accel_sockops(struct bpf_sock_ops *skops) @ sockops.bpf.c:48
0: (b7) r2 = 7                        ; R2=7
; CTX(skops->family) = 7; @ sockops.bpf.c:50
1: (63) *(u32 *)(r1 +20) = r2
invalid bpf_context access off=20 size=4
processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
-- END PROG LOAD LOG --
libbpf: prog 'accel_sockops': failed to load: -13
libbpf: failed to load object 'sockops.bpf.o'
Error: failed to load object file
`;

describe('parseVerifierLog', () => {
  it('cuts the log out of the load output and finds the reason and its source line', () => {
    const r = parseVerifierLog(VERIFIER_OUT, '/root/lab');
    expect(r.log?.split('\n')[0]).toBe('0: R1=ctx() R10=fp0');
    expect(r.log?.split('\n').at(-1)).toMatch(/^processed 2 insns/);
    expect(r.reason).toBe('invalid bpf_context access off=20 size=4');
    expect(r.at).toEqual({ path: 'sockops.bpf.c', line: 50, inWorkspace: true });
  });

  it('says nothing when the output has no verifier log', () => {
    expect(parseVerifierLog('acceleration on: sock_ops on /x\n', '/root/lab')).toEqual({});
  });
});
