// One datapath sampler per sandbox, shared by every page that watches it, stopped when the last one leaves.
// The sampler (sandbox/sampler/datapath-sampler.c) is a single long-running exec that prints a line of counters per
// tick; this turns the lines into frames with rates and fans them out.
import type { Logger } from '../log';
import type { LineStream, SandboxDriver } from '../sandbox/types';
import { parseSamplerLine, toFrame, type DatapathFrame, type SamplerLine } from './frame';

export const SAMPLER_PATH = '/opt/ebpf-labs/bin/datapath-sampler';
/** Twice a second: fast enough to see a counter move, cheap enough to leave running while a page is open. */
export const SAMPLE_INTERVAL_MS = 500;
/** A page that switches tabs or reconnects within this time keeps the running sampler. */
export const STOP_GRACE_MS = 3000;
/** A sampler that dies is restarted this many times in a row (a line that arrives resets the count). */
const MAX_RESTARTS = 3;
const RESTART_DELAY_MS = 1000;

export interface DatapathSubscriber {
  frame(frame: DatapathFrame): void;
  /** The sampler could not start or stopped for good; message says what to do. */
  error(message: string): void;
}

interface Entry {
  subs: Set<DatapathSubscriber>;
  ports: number[];
  stream?: LineStream;
  starting?: boolean;
  prev?: SamplerLine;
  last?: DatapathFrame;
  stopTimer?: ReturnType<typeof setTimeout>;
  restarts: number;
  stopping: boolean;
}

export interface DatapathHubOptions {
  driver: () => Promise<SandboxDriver>;
  log: Logger;
  intervalMs?: number;
  stopGraceMs?: number;
}

export function samplerArgv(ports: number[], intervalMs = SAMPLE_INTERVAL_MS): string[] {
  const args = ['--interval-ms', String(intervalMs), ...ports.flatMap((p) => ['--port', String(p)])];
  // Through bash only to read LAB_CGROUP (the pods' cgroups) from the sandbox's profile; exec keeps one process.
  return ['bash', '-c', `. /etc/profile.d/ebpf-labs.sh && exec ${SAMPLER_PATH} "$@"`, 'datapath-sampler', ...args];
}

export class DatapathHub {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: DatapathHubOptions) {}

  /** Starts streaming the sandbox's counters to sub (the latest frame at once, if there is one). */
  subscribe(sandboxId: string, ports: number[], sub: DatapathSubscriber): () => void {
    let entry = this.entries.get(sandboxId);
    if (!entry) {
      entry = { subs: new Set(), ports, restarts: 0, stopping: false };
      this.entries.set(sandboxId, entry);
    }
    clearTimeout(entry.stopTimer);
    entry.stopTimer = undefined;
    entry.subs.add(sub);
    if (entry.last) sub.frame(entry.last);
    if (!entry.stream && !entry.starting) void this.start(sandboxId, entry);
    const e = entry;
    return () => {
      e.subs.delete(sub);
      if (e.subs.size === 0 && !e.stopTimer) {
        e.stopTimer = setTimeout(() => this.stop(sandboxId), this.opts.stopGraceMs ?? STOP_GRACE_MS);
      }
    };
  }

  /** Sandboxes with a sampler running or starting. */
  running(): string[] {
    return [...this.entries].filter(([, e]) => e.stream || e.starting).map(([id]) => id);
  }

  /** The sandbox is gone: stop its sampler without waiting. */
  closeSandbox(sandboxId: string): void {
    const e = this.entries.get(sandboxId);
    if (!e) return;
    for (const s of e.subs) s.error('The sandbox was removed.');
    e.subs.clear();
    this.stop(sandboxId);
  }

  closeAll(): void {
    for (const id of [...this.entries.keys()]) this.stop(id);
  }

  private stop(sandboxId: string): void {
    const e = this.entries.get(sandboxId);
    if (!e) return;
    clearTimeout(e.stopTimer);
    e.stopping = true;
    e.stream?.stop();
    this.entries.delete(sandboxId);
  }

  private async start(sandboxId: string, e: Entry): Promise<void> {
    e.starting = true;
    try {
      const driver = await this.opts.driver();
      const stream = await driver.streamLines(sandboxId, samplerArgv(e.ports, this.opts.intervalMs), {
        onLine: (line) => this.onLine(e, line),
        onExit: (stderr) => this.onExit(sandboxId, e, stderr),
      });
      if (e.stopping) stream.stop();
      else e.stream = stream;
    } catch (err) {
      this.opts.log.warn(`datapath sampler in ${sandboxId} did not start`, err);
      this.fail(sandboxId, e, `The datapath sampler could not start: ${(err as Error).message}`);
    } finally {
      e.starting = false;
    }
  }

  private onLine(e: Entry, line: string): void {
    const sample = parseSamplerLine(line);
    if (!sample) return;
    e.restarts = 0;
    const frame = toFrame(e.prev, sample);
    e.prev = sample;
    e.last = frame;
    for (const s of e.subs) s.frame(frame);
  }

  private onExit(sandboxId: string, e: Entry, stderr: string): void {
    e.stream = undefined;
    e.prev = undefined;
    if (e.stopping || e.subs.size === 0) return;
    const why = stderr.trim().split('\n').slice(-3).join(' ') || 'it exited';
    this.opts.log.warn(`datapath sampler in ${sandboxId} stopped: ${why}`);
    if (++e.restarts > MAX_RESTARTS) {
      return this.fail(sandboxId, e, `The datapath sampler keeps stopping (${why}). Restart the sandbox if this persists.`);
    }
    setTimeout(() => {
      if (!e.stopping && e.subs.size > 0 && !e.stream && this.entries.get(sandboxId) === e) void this.start(sandboxId, e);
    }, RESTART_DELAY_MS);
  }

  private fail(sandboxId: string, e: Entry, message: string): void {
    for (const s of e.subs) s.error(message);
    e.subs.clear();
    this.stop(sandboxId);
  }
}
