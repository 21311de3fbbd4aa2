// Context switches per round trip and the proxy named in a run's environment, for a lab with its own proxy and modes
// (proxy-splicing): from the sample script's output to the report's rows.
import { describe, expect, it } from 'vitest';
import type { LabMeta } from '../labs/schema';
import { splicingBenchmark, testLab } from '../../tests/doubles/lab';
import { contextSwitchCells, contextSwitchesBetween } from './context-switches';
import { BenchConfigSchema, type Sample } from './model';
import { labProfile } from './profile';
import { formatContextSwitches } from './report';
import { BenchRunner, sampleScript, splitSections, type SandboxShell } from './runner';

const benchmark = { ...splicingBenchmark, proxy: 'splice-proxy' };
const profile = labProfile(testLab('splicing', { '01-a': 'true' }, { benchmark } as Partial<LabMeta>))!;
const config = BenchConfigSchema.parse({ sizes: [64], repetitions: 1, modes: ['copy', 'sockmap'], durationS: 1 });
const SOCKPERF = 'sockperf: [Total Run] RunTime=1.0 sec; Warm up time=400 msec; SentMessages=1001; ReceivedMessages=1000\navg-latency=20.0\npercentile 50.000 = 19';

describe('context switches around the latency run', () => {
  it('are read, with the machine\'s ctxt, just before and after sockperf', () => {
    const s = sampleScript({ index: 0, rep: 1, size: 64, mode: 'copy' }, config, profile);
    expect(s).toMatch(/@@IPERF[\s\S]*@@LATENCY_START \$\(awk '\/\^ctxt \/[^\n]*\/proc\/stat\) \$\(print-counters\)"\n[^\n]*@@SOCKPERF\n[^\n]*sockperf ping-pong[^\n]*\n[^\n]*@@LATENCY_END/);
  });

  it('count per sample what moved over the round trips sockperf answered', () => {
    const out = [
      '@@BEFORE {"proxyConnections":0,"redirected":0}',
      '@@LATENCY_START 5000 {"proxyConnections":1,"redirected":0,"proxyContextSwitches":100,"proxyWakeups":50}',
      '@@SOCKPERF',
      SOCKPERF,
      '@@LATENCY_END 9000 {"proxyConnections":2,"redirected":0,"proxyContextSwitches":2100,"proxyWakeups":2050}',
      '@@AFTER {"proxyConnections":2,"redirected":0}',
    ].join('\n');
    const sections = splitSections(out);
    expect(sections.sockperf).toBe(SOCKPERF);
    expect(sections.latencyStart).toMatchObject({ host: 5000, counters: { proxyContextSwitches: 100, proxyWakeups: 50 } });
    expect(contextSwitchesBetween({ host: 5000, proxy: 100, proxyWakeups: 50 }, { host: 9000, proxy: 2100, proxyWakeups: 2050 }, 1000)).toEqual({
      roundTrips: 1000, host: 4000, proxy: 2000, proxyWakeups: 2000,
    });
    // A stopped proxy (direct mode) reports none: the machine's count only. Garbage is no mark.
    expect(splitSections('@@LATENCY_START 7 {"proxyConnections":0,"redirected":0,"proxyContextSwitches":null}').latencyStart).toEqual({
      host: 7, counters: { proxyConnections: 0, redirected: 0 },
    });
    expect(splitSections('@@LATENCY_START 7; rm -rf / {"x"').latencyStart).toBeUndefined();
  });

  it('are reported per round trip, median [min–max] per size and mode, from the samples that passed', () => {
    const sample = (mode: string, rep: number, host: number, proxy?: number, ok = true): Sample => ({
      index: 0, rep, size: 64, mode, startedAt: '', durationMs: 1,
      datapath: { proxyConnections: 1, redirected: 0, ok, problems: [] },
      contextSwitches: { roundTrips: 1000, host, ...(proxy === undefined ? {} : { proxy, proxyWakeups: proxy / 2 }) },
    });
    const samples = [sample('direct', 1, 2000), sample('copy', 1, 6000, 2000), sample('copy', 2, 8000, 2000), sample('sockmap', 1, 4000, 1800), sample('sockmap', 2, 99000, 0, false)];
    const cells = contextSwitchCells(samples, ['direct', 'copy', 'sockmap']);
    expect(cells.map((c) => [c.mode, c.host.median, c.proxy?.median, c.proxyWakeups?.median])).toEqual([
      ['direct', 2, undefined, undefined],
      ['copy', 7, 2, 1],
      ['sockmap', 4, 1.8, 0.9],
    ]);
    const table = formatContextSwitches(samples, ['direct', 'copy', 'sockmap']).join('\n');
    expect(table).toContain('includes every other process');
    expect(table).toContain('| 64 B | copy | 7.00 [6.00–8.00] | 2.00 [2.00–2.00] | 1.00 [1.00–1.00] |');
    expect(table).toContain('| 64 B | direct | 2.00 [2.00–2.00] | – | – |');
    expect(formatContextSwitches([], ['copy'])).toEqual([]);
  });
});

describe('the environment of a run with the lab\'s own proxy', () => {
  it('names the lab\'s proxy and its modes, not the image\'s', async () => {
    const sh: SandboxShell = async (script) =>
      script.includes('uname -r')
        ? { exitCode: 0, stderr: '', stdout: '{"kernel":"6.18","cpus":2,"proxy":"haproxy","pin":"1","workspace":true}\n' }
        : { exitCode: 0, stdout: '', stderr: '' };
    let proxy = '';
    await new BenchRunner(sh, profile).run({ ...config, modes: [] }, { onEnvironment: (e) => (proxy = e.proxy) });
    expect(proxy).toBe('splice-proxy (copy, sockmap)');
    let imageProxy = '';
    await new BenchRunner(sh, { ...profile, proxy: undefined }).run({ ...config, modes: [] }, { onEnvironment: (e) => (imageProxy = e.proxy) });
    expect(imageProxy).toBe('haproxy');
  });
});
