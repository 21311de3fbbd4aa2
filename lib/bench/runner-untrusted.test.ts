// The benchmark runner when the sandbox's tools print garbage or too much: a failed sample or a failed run with a
// message, never an exception from JSON.parse.
import { describe, expect, it } from 'vitest';
import { BenchConfigSchema } from './model';
import { BenchRunner, splitSections, type SandboxShell } from './runner';

const config = BenchConfigSchema.parse({ sizes: [64], repetitions: 1, modes: ['proxy'], durationS: 1 });
const STATE = '{"kernel":"6.18","cpus":2,"proxy":"haproxy","pin":"1","redirectOn":true,"accelOn":false,"workspace":false}\n';

/** A shell whose sample scripts answer `sample`; the sandbox's state is normal. */
function shell(sample: Awaited<ReturnType<SandboxShell>>): SandboxShell {
  return async (script) => {
    if (script.includes('redirectOn:')) return { exitCode: 0, stderr: '', stdout: STATE };
    if (script.includes('@@BEFORE')) return sample;
    return { exitCode: 0, stdout: '', stderr: '' };
  };
}

describe('the benchmark runner, with garbage from the sandbox', () => {
  it('reads counters that are not JSON, or not counters, as missing', () => {
    const out = ['@@BEFORE {"proxyConnections":', '@@AFTER {"proxyConnections":"many","redirected":0}'].join('\n');
    expect(splitSections(out)).toEqual({ before: undefined, after: undefined });
    expect(splitSections('@@BEFORE {"proxyConnections":null,"redirected":2}').before).toEqual({ proxyConnections: 0, redirected: 2 });
  });

  it('records a sample with garbage output as failed, with why', async () => {
    const { samples } = await new BenchRunner(shell({ exitCode: 0, stderr: '', stdout: '@@BEFORE }{\n@@IPERF\n\u0000\u0001\n@@AFTER [\n' })).run(config);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.error).toMatch(/iperf3 failed: its output is not JSON; the counters could not be read/);
  });

  it('records a sample that printed past its limit as failed, saying so', async () => {
    const { samples } = await new BenchRunner(shell({ exitCode: 137, stderr: '', stdout: 'y\n'.repeat(100), overflow: true, outputLimit: 65536 })).run(config);
    expect(samples[0]!.error).toMatch(/^the sample printed more than 64 KiB and was stopped/);
  });

  it('fails the run with a message when the state of the sandbox is garbage', async () => {
    const sh: SandboxShell = async () => ({ exitCode: 0, stderr: '', stdout: '{"kernel": 6}\n' });
    await expect(new BenchRunner(sh).run(config)).rejects.toMatchObject({
      code: 'bench_failed',
      message: 'The benchmark failed at looking at the sandbox: its tools answered something unexpected.',
    });
    const notJson: SandboxShell = async () => ({ exitCode: 0, stderr: '', stdout: 'proxyctl: command not found\n' });
    await expect(new BenchRunner(notJson).run(config)).rejects.toMatchObject({ code: 'bench_failed' });
  });
});
