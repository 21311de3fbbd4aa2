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
  it('reports a failed preparation with its stderr', () => {
    expect(() => parsePreflight(result('', 127))).toThrow(/could not be prepared/);
    try {
      parsePreflight(result('not json'));
    } catch (e) {
      expect((e as { options: { details: string[] } }).options.details).toContain('boom');
    }
  });
});
