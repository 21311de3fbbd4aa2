// The server's metrics in the Prometheus text format (/metrics): sandboxes by state, start times, checks per lab and
// step, terminal sessions, WebSocket traffic, benchmark runs, and Node's own (event-loop lag, memory, CPU).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricSources {
  /** Learner sandboxes running, pool sandboxes ready, learners waiting for a slot. */
  sandboxes: () => { running: number; pool: number; waiting: number };
  terminalSessions: () => number;
}

export class AppMetrics {
  readonly registry = new Registry();
  readonly sandboxStart: Histogram<'source'>;
  readonly checks: Counter<'lab' | 'step' | 'result'>;
  readonly checkDuration: Histogram<'lab'>;
  readonly wsMessages: Counter<'endpoint' | 'direction'>;
  readonly wsBytes: Counter<'endpoint' | 'direction'>;
  readonly echo: Histogram;
  readonly benchRuns: Counter<'lab' | 'status'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'ebpf_labs_sandboxes',
      help: 'Sandboxes by state: running (a learner has it), pool (ready to hand out), waiting (learners in line for one)',
      labelNames: ['state'],
      registers,
      collect() {
        const s = sources.sandboxes();
        for (const state of ['running', 'pool', 'waiting'] as const) this.set({ state }, s[state]);
      },
    });
    new Gauge({
      name: 'ebpf_labs_terminal_sessions',
      help: 'Terminal sessions the server holds (one per open terminal tab of a running sandbox)',
      registers,
      collect() {
        this.set(sources.terminalSessions());
      },
    });
    this.sandboxStart = new Histogram({
      name: 'ebpf_labs_sandbox_start_seconds',
      help: 'Start sandbox to ready (the lab set up), as the learner waits for it; source: pool or fresh',
      labelNames: ['source'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.checks = new Counter({ name: 'ebpf_labs_checks_total', help: 'Step checks run, per lab, step and result (passed, failed)', labelNames: ['lab', 'step', 'result'], registers });
    this.checkDuration = new Histogram({
      name: 'ebpf_labs_check_duration_seconds',
      help: 'How long step checks take (they run after every learner command)',
      labelNames: ['lab'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    });
    this.wsMessages = new Counter({ name: 'ebpf_labs_ws_messages_total', help: 'WebSocket messages, per endpoint and direction (in, out)', labelNames: ['endpoint', 'direction'], registers });
    this.wsBytes = new Counter({ name: 'ebpf_labs_ws_bytes_total', help: 'WebSocket payload bytes, per endpoint and direction (in, out)', labelNames: ['endpoint', 'direction'], registers });
    this.echo = new Histogram({
      name: 'ebpf_labs_keystroke_echo_seconds',
      help: 'Server side: a keystroke from the browser to the next output of its shell',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.benchRuns = new Counter({ name: 'ebpf_labs_bench_runs_total', help: 'Benchmark runs ended, per lab and status', labelNames: ['lab', 'status'], registers });
  }

  /** A WebSocket endpoint's messages and bytes, in and out (createSocketServer's `count`). */
  socketCounter(endpoint: string): (direction: 'in' | 'out', bytes: number) => void {
    return (direction, bytes) => {
      this.wsMessages.inc({ endpoint, direction });
      this.wsBytes.inc({ endpoint, direction }, bytes);
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
