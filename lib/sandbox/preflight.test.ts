import { describe, expect, it } from 'vitest';
import { parsePreflight } from './preflight';

const result = (stdout: string, exitCode = 0) => ({ exitCode, stdout, stderr: 'boom', timedOut: false, durationMs: 5 });

describe('parsePreflight', () => {
  it('reads the last JSON line', () => {
    const line = JSON.stringify({
      ok: false,
      cgroup: '/run/ebpf-labs/cgroup2/ebpf-labs-x',
      cgroupMode: 'v1',
      kernel: '6.18.0',
      proxy: 'haproxy',
      missing: ['BTF: /sys/kernel/btf/vmlinux is missing'],
    });
    const p = parsePreflight(result(`noise\n${line}\n`));
    expect(p.ok).toBe(false);
    expect(p.missing).toEqual(['BTF: /sys/kernel/btf/vmlinux is missing']);
  });
  it("keeps the kernel's boot id, for telling a shared kernel from the sandbox's own", () => {
    const line = JSON.stringify({ ok: true, cgroup: '/c', cgroupMode: 'v2', kernel: '6.18.0', proxy: 'envoy', missing: [], bootId: 'b0a1' });
    expect(parsePreflight(result(line)).bootId).toBe('b0a1');
  });
  it('reports a failed preparation with its stderr', () => {
    expect(() => parsePreflight(result('', 127))).toThrow(/could not be prepared/);
    try {
      parsePreflight(result('not json'));
    } catch (e) {
      expect((e as { options: { details: string[] } }).options.details).toContain('boom');
    }
  });
});
