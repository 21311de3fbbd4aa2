// One datapath sampler per sandbox, shared by every page that watches it, stopped when the last one leaves.
// The sampler (sandbox/sampler/datapath-sampler.c) is a single long-running exec that prints a line of counters per
// tick; this turns the lines into frames with rates and publishes them on the lab event channel.
// The sampler is a program in the learner's sandbox (they may replace it), so its output is read within limits
// (SAMPLER_LIMITS) and lines that are not samples are dropped; past the limits, or after too many such lines, the
// sampler is stopped and the page is told why.
import type { EventSink } from '../event-sink';
import type { Logger } from '../log';
import { describeStreamEnd } from '../sandbox/output-limits';
import type { LineLimits, LineStream, LineStreamEnd, SandboxDriver } from '../sandbox/types';
import { parseSamplerLine, toFrame, type DatapathEvent, type DatapathFrame, type SamplerLine } from './frame';

export const SAMPLER_PATH = '/opt/ebpf-labs/bin/datapath-sampler';
/** Twice a second: fast enough to see a counter move, cheap enough to leave running while a page is open. */
export const SAMPLE_INTERVAL_MS = 500;
/** A page that switches tabs or reconnects within this time keeps the running sampler. */
export const STOP_GRACE_MS = 3000;
/** A sampler that dies is restarted this many times in a row (a line that arrives resets the count). */
const MAX_RESTARTS = 3;
/** A second between restarts: a sampler that crashes at once does not spin. */
const RESTART_DELAY_MS = 1000;
/**
 * What the sampler may print. A sample is one line of 2 to 5 KiB (a few dozen counters; a lab that pins many maps,
 * tens of KiB at most), two a second (ten at its fastest interval). Past these the sampler is killed and not restarted.
 */
export const SAMPLER_LIMITS: LineLimits = { maxLineBytes: 64 * 1024, maxBytesPerSecond: 256 * 1024, maxLinesPerSecond: 50, windowMs: 2000 };
/** Lines in a row that are not samples (5 s of them at the usual interval): the sampler is not the lab's. */
const MAX_BAD_LINES = 10;

/** Whose sandbox to sample, and where its frames go (the learner's pages of that lab). */
export interface DatapathTarget {
  learner: string;
  lab: string;
  sandboxId: string;
}

interface Entry {
  target: DatapathTarget;
  /** One token per watching page. */
  watchers: Set<symbol>;
  ports: number[];
  stream?: LineStream;
  starting?: boolean;
  prev?: SamplerLine;
  last?: DatapathFrame;
  stopTimer?: ReturnType<typeof setTimeout>;
  restarts: number;
  stopping: boolean;
  /** Lines in a row that were not samples. */
  badLines: number;
}

export interface DatapathHubOptions {
  driver: () => Promise<SandboxDriver>;
  /** Frames, and errors that say what to do when the sampler cannot run. */
  events: EventSink<DatapathEvent>;
  log: Logger;
  intervalMs?: number;
  stopGraceMs?: number;
}

/** What a learner can do about a sampler that misbehaves: their own replacement of it is the likely cause. */
const REPLACED = `Reset the lab if you replaced ${SAMPLER_PATH}.`;

/** The start of a line, printable, for a message. */
function preview(line: string): string {
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}...` : printable;
}

export function samplerArgv(ports: number[], intervalMs = SAMPLE_INTERVAL_MS): string[] {
  const args = ['--interval-ms', String(intervalMs), ...ports.flatMap((p) => ['--port', String(p)])];
  // Through bash only to read LAB_CGROUP (the pods' cgroups) from the sandbox's profile; exec keeps one process.
  return ['bash', '-c', `. /etc/profile.d/ebpf-labs.sh && exec ${SAMPLER_PATH} "$@"`, 'datapath-sampler', ...args];
}

export class DatapathHub {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: DatapathHubOptions) {}

  /**
   * A page watches the sandbox: its counters stream to the learner's pages of the lab (the latest frame at once, if
   * there is one). Returns what to call when the page stops watching.
   */
  watch(target: DatapathTarget, ports: number[]): () => void {
    const { sandboxId } = target;
    let entry = this.entries.get(sandboxId);
    if (!entry) {
      entry = { target, watchers: new Set(), ports, restarts: 0, stopping: false, badLines: 0 };
      this.entries.set(sandboxId, entry);
    }
    clearTimeout(entry.stopTimer);
    entry.stopTimer = undefined;
    const token = Symbol('watcher');
    entry.watchers.add(token);
    if (entry.last) this.publish(entry, { type: 'datapath', frame: entry.last });
    if (!entry.stream && !entry.starting) void this.start(sandboxId, entry);
    const e = entry;
    return () => {
      e.watchers.delete(token);
      if (e.watchers.size === 0 && !e.stopTimer && this.entries.get(sandboxId) === e) {
        e.stopTimer = setTimeout(() => this.stop(sandboxId), this.opts.stopGraceMs ?? STOP_GRACE_MS);
      }
    };
  }

  private publish(e: Entry, event: DatapathEvent): void {
    this.opts.events.publish(e.target.learner, e.target.lab, event);
  }

  /** Sandboxes with a sampler running or starting. */
  running(): string[] {
    return [...this.entries].filter(([, e]) => e.stream || e.starting).map(([id]) => id);
  }

  /** The sandbox is gone: stop its sampler without waiting. */
  closeSandbox(sandboxId: string): void {
    const e = this.entries.get(sandboxId);
    if (!e) return;
    if (e.watchers.size) this.publish(e, { type: 'datapath-error', message: 'The sandbox was removed.' });
    e.watchers.clear();
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
      const stream = await driver.streamLines(
        sandboxId,
        samplerArgv(e.ports, this.opts.intervalMs),
        {
          onLine: (line) => this.onLine(sandboxId, e, line),
          onExit: (stderr, end) => this.onExit(sandboxId, e, stderr, end),
        },
        SAMPLER_LIMITS,
      );
      if (e.stopping) stream.stop();
      else e.stream = stream;
    } catch (err) {
      this.opts.log.warn(`datapath sampler in ${sandboxId} did not start`, err);
      this.fail(sandboxId, e, `The datapath sampler could not start: ${(err as Error).message}`);
    } finally {
      e.starting = false;
    }
  }

  private onLine(sandboxId: string, e: Entry, line: string): void {
    if (e.stopping) return;
    const sample = parseSamplerLine(line);
    if (!sample) {
      if (++e.badLines >= MAX_BAD_LINES) {
        this.opts.log.warn(`datapath sampler in ${sandboxId} prints no samples`, line.slice(0, 200));
        this.fail(sandboxId, e, `The datapath sampler printed ${MAX_BAD_LINES} lines that are not samples (the last: "${preview(line)}"): stopped. ${REPLACED}`);
      }
      return;
    }
    e.badLines = 0;
    e.restarts = 0;
    const frame = toFrame(e.prev, sample);
    e.prev = sample;
    e.last = frame;
    this.publish(e, { type: 'datapath', frame });
  }

  private onExit(sandboxId: string, e: Entry, stderr: string, end?: LineStreamEnd): void {
    e.stream = undefined;
    e.prev = undefined;
    if (e.stopping || e.watchers.size === 0) return;
    // Past its limits it was killed: restarting it would only do the same again.
    if (end && end.kind !== 'exited') return this.fail(sandboxId, e, `The datapath sampler ${describeStreamEnd(end)}: stopped. ${REPLACED}`);
    const why = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300) || 'it exited';
    this.opts.log.warn(`datapath sampler in ${sandboxId} stopped: ${why}`);
    if (++e.restarts > MAX_RESTARTS) {
      return this.fail(sandboxId, e, `The datapath sampler keeps stopping (${why}). Restart the sandbox if this persists.`);
    }
    setTimeout(() => {
      if (!e.stopping && e.watchers.size > 0 && !e.stream && this.entries.get(sandboxId) === e) void this.start(sandboxId, e);
    }, RESTART_DELAY_MS);
  }

  private fail(sandboxId: string, e: Entry, message: string): void {
    if (e.watchers.size) this.publish(e, { type: 'datapath-error', message });
    e.watchers.clear();
    this.stop(sandboxId);
  }
}
