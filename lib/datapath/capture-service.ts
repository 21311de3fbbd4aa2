// Runs captures in a sandbox (lab-capture) and keeps each sandbox's latest ones, so a reloaded page still has
// its before/after pair. One capture at a time per sandbox: two would see each other's traffic.
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors';
import type { Datapath } from '../labs/schema';
import { formatBytes } from '../sandbox/output-limits';
import type { SandboxDriver } from '../sandbox/types';
import { parseCaptureOutput, type CaptureResult } from './capture';
import { parseSamplerLine } from './frame';
import { samplerArgv } from './hub';

export const CAPTURE_PATH = '/opt/ebpf-labs/bin/lab-capture';
/** Long enough for a short iperf3 run and its handshake; short enough to keep the pane responsive. */
export const CAPTURE_SECONDS = 3;
/** Per interface: bounds the output (about 150 bytes a line) and the parsing. */
export const CAPTURE_PACKET_LIMIT = 5000;
/** Past the capture itself: tcpdump's start and exit, and summarising up to CAPTURE_PACKET_LIMIT lines per interface. */
const CAPTURE_SLACK_S = 10;
/** Captures kept per sandbox: the latest before/after pair survives a few more tries. */
const KEEP = 10;
/** One sampler tick reads a few dozen counters in milliseconds; five seconds means the sandbox is stuck. */
const STATE_SAMPLE_TIMEOUT_MS = 5000;
/**
 * lab-capture prints tcpdump's lines (about 150 bytes a packet, CAPTURE_PACKET_LIMIT per interface: 1.5 MB for two)
 * and what the traffic command says: 4 MiB holds that with room. Past it the capture is stopped and killed.
 */
export const CAPTURE_OUTPUT_LIMIT = 4 * 1024 * 1024;
/** One sampler line: the sampler's own line limit. */
const STATE_SAMPLE_OUTPUT_LIMIT = 64 * 1024;

export class CaptureService {
  private readonly results = new Map<string, CaptureResult[]>();
  private readonly running = new Set<string>();

  list(sandboxId: string): CaptureResult[] {
    return this.results.get(sandboxId) ?? [];
  }

  forget(sandboxId: string): void {
    this.results.delete(sandboxId);
  }

  async capture(driver: SandboxDriver, sandboxId: string, datapath: Datapath, withTraffic = true): Promise<CaptureResult> {
    const spec = datapath.capture;
    if (!spec) throw new AppError('no_capture', 'This lab defines no capture.', { status: 404, hint: 'Use tcpdump in a terminal instead.' });
    if (this.running.has(sandboxId)) {
      throw new AppError('capture_running', 'A capture is already running in your sandbox.', { status: 409, hint: 'Wait for it to finish (a few seconds).' });
    }
    this.running.add(sandboxId);
    try {
      const state = datapath.state ? await this.readState(driver, sandboxId, datapath.state) : undefined;
      const traffic = withTraffic ? spec.traffic : undefined;
      const argv = [CAPTURE_PATH, spec.pod, String(CAPTURE_SECONDS), String(CAPTURE_PACKET_LIMIT), spec.filter, ...spec.interfaces];
      const r = await driver.exec(sandboxId, argv, {
        stdin: traffic ?? '',
        timeoutMs: (CAPTURE_SECONDS + CAPTURE_SLACK_S) * 1000,
        outputLimit: CAPTURE_OUTPUT_LIMIT,
      });
      if (r.overflow) {
        throw new AppError('capture_too_large', `The capture printed more than ${formatBytes(CAPTURE_OUTPUT_LIMIT)} and was stopped.`, {
          status: 422,
          hint: `Reset the lab if you changed ${CAPTURE_PATH}; otherwise capture without traffic, or use tcpdump in a terminal.`,
        });
      }
      if (r.exitCode !== 0) {
        const said = r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 500);
        throw new AppError('capture_failed', `The capture failed: ${said || `exit ${r.exitCode}`}`, {
          status: 422,
          hint: r.stderr.includes('lab-pods up') ? 'Bring the pods up (lab-pods up), then capture again.' : 'Check the pods with lab-pods status, then try again.',
        });
      }
      const result: CaptureResult = {
        id: randomBytes(4).toString('hex'),
        at: new Date().toISOString(),
        state,
        pod: spec.pod,
        seconds: CAPTURE_SECONDS,
        limit: CAPTURE_PACKET_LIMIT,
        traffic,
        interfaces: parseCaptureOutput(r.stdout, CAPTURE_PACKET_LIMIT),
      };
      this.results.set(sandboxId, [result, ...this.list(sandboxId)].slice(0, KEEP));
      return result;
    } finally {
      this.running.delete(sandboxId);
    }
  }

  /** One sample of the sampler names the state (e.g. sock_ops programs attached: "acceleration on"). */
  private async readState(driver: SandboxDriver, sandboxId: string, state: NonNullable<Datapath['state']>): Promise<string | undefined> {
    const r = await driver.exec(sandboxId, [...samplerArgv([]), '--count', '1'], { timeoutMs: STATE_SAMPLE_TIMEOUT_MS, outputLimit: STATE_SAMPLE_OUTPUT_LIMIT });
    if (r.overflow) return undefined; // a replaced sampler: the capture goes on without naming the state
    const sample = parseSamplerLine(r.stdout.trim().split('\n')[0] ?? '');
    if (!sample) return undefined;
    return (sample.values[state.metric] ?? 0) > 0 ? state.on : state.off;
  }
}
