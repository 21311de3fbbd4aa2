import { describe, expect, it } from 'vitest';
import { BenchConfigSchema } from './model';
import { BenchRunner, modeScript, sampleScript, splitSections, type SandboxShell } from './runner';

const config = BenchConfigSchema.parse({ sizes: [64], repetitions: 1, modes: ['proxy', 'proxy+accel'], durationS: 1 });

describe('sample scripts', () => {
  it('run iperf3 and sockperf with the size, pinned, between two counter snapshots', () => {
    const s = sampleScript({ index: 0, rep: 1, size: 1024, mode: 'proxy' }, config);
    expect(s).toMatch(/@@BEFORE[\s\S]*iperf3 -c .* -t 1 -l 1024 -J[\s\S]*sockperf ping-pong .* -m 1024 -t 1[\s\S]*@@AFTER/);
    expect(s).toContain('$(pinned)');
  });
  it('skip sockperf above its largest message', () => {
    expect(sampleScript({ index: 0, rep: 1, size: 131072, mode: 'proxy' }, config)).not.toContain('sockperf');
  });
  it('split the output into counters and each tool\'s raw output', () => {
    const out = ['@@BEFORE {"proxyConnections":1,"redirected":0}', '@@IPERF', '{"a":', '1}', '@@SOCKPERF', 'line', '@@AFTER {"proxyConnections":4,"redirected":0}'].join('\n');
    expect(splitSections(out)).toEqual({
      before: { proxyConnections: 1, redirected: 0 },
      after: { proxyConnections: 4, redirected: 0 },
      iperf: '{"a":\n1}',
      sockperf: 'line',
    });
  });
  it('switch modes with the sandbox tools', () => {
    expect(modeScript('direct', '/x')).toBe('accelctl off >/dev/null; redirectctl off >/dev/null');
    expect(modeScript('proxy+accel', '/root/lab')).toContain('accelctl on /root/lab');
  });
});

describe('BenchRunner (with a scripted shell)', () => {
  function shell(redirectedPerSample: number): { sh: SandboxShell; scripts: string[] } {
    const scripts: string[] = [];
    let conns = 0;
    let redirected = 0;
    const sh: SandboxShell = async (script) => {
      scripts.push(script);
      if (script.includes('redirectOn:')) {
        return { exitCode: 0, stderr: '', stdout: '{"kernel":"6.18","cpus":2,"proxy":"haproxy","pin":"1","redirectOn":true,"accelOn":false,"workspace":false}\n' };
      }
      if (script.includes('@@BEFORE')) {
        const before = { proxyConnections: conns, redirected };
        conns += 3;
        if (script.includes('-l 64')) redirected += redirectedPerSample;
        const after = { proxyConnections: conns, redirected };
        const iperf = JSON.stringify({ end: { sum_received: { bits_per_second: 5e9, bytes: 1, seconds: 1 }, sum_sent: { retransmits: 0 } } });
        return {
          exitCode: 0,
          stderr: '',
          stdout: `@@BEFORE ${JSON.stringify(before)}\n@@IPERF\n${iperf}\n@@SOCKPERF\navg-latency=20.0\npercentile 50.000 = 19\n@@AFTER ${JSON.stringify(after)}\n`,
        };
      }
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    return { sh, scripts };
  }

  it('runs the plan, verifies each sample, and restores the sandbox', async () => {
    const { sh, scripts } = shell(100);
    const progress: string[] = [];
    const { samples, cancelled } = await new BenchRunner(sh).run(config, { onProgress: (p) => progress.push(`${p.index}/${p.total} ${p.mode}`) });
    expect(cancelled).toBe(false);
    expect(progress).toEqual(['0/2 proxy', '1/2 proxy+accel']);
    expect(samples.map((s) => [s.mode, s.iperf?.gbps, s.sockperf?.p50Us])).toEqual([
      ['proxy', 5, 19],
      ['proxy+accel', 5, 19],
    ]);
    // The proxy sample saw redirects, which its mode does not allow: flagged. The accelerated one is fine.
    expect(samples[0]!.datapath.ok).toBe(false);
    expect(samples[1]!.datapath.ok).toBe(true);
    const last = scripts.at(-1)!;
    expect(last).toContain('redirectctl on'); // it was on before
    expect(last).toContain('accelctl off'); // it was off before
  });

  it('stops at Cancel and still restores the sandbox', async () => {
    const { sh, scripts } = shell(0);
    const abort = new AbortController();
    const { samples, cancelled } = await new BenchRunner(sh).run(config, {
      signal: abort.signal,
      onSample: () => abort.abort(),
    });
    expect(cancelled).toBe(true);
    expect(samples).toHaveLength(1);
    expect(scripts.some((s) => s.includes('pkill -f "iperf3 -c"'))).toBe(true);
    expect(scripts.at(-1)).toContain('redirectctl on');
  });
});
