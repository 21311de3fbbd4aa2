// Benchmarks of learners' sandboxes: one run at a time per sandbox, stored as it goes, reported live on the lab
// event channel, cancellable. The lab's checks are paused while a run measures the sandbox.
import { AppError } from '../errors';
import type { EventSink } from '../event-sink';
import type { Lab } from '../labs/schema';
import { silentLogger, type Logger } from '../log';
import type { LabScriptRunner } from '../sandbox/lab-exec';
import type { BenchConfig } from './model';
import { labProfile, modeNames, unknownModes, type BenchProfile } from './profile';
import { BenchRunner, type SandboxShell } from './runner';
import type { BenchStore } from './store';
import type { BenchEvent, BenchProgress, Environment, RunRecord } from './types';

interface ActiveRun {
  runId: string;
  learner: string;
  lab: string;
  abort: AbortController;
  progress?: BenchProgress;
}

/** The step checks of a learner's lab, which a run holds while it measures (a check would disturb the figures). */
export interface ChecksToPause {
  pause(learner: string, lab: string): void;
  resume(learner: string, lab: string): void;
}

/** Builds the runner for a sandbox (tests give one with a scripted sandbox). */
export type RunnerFactory = (shell: SandboxShell, profile?: BenchProfile) => Pick<BenchRunner, 'run'>;

export interface BenchServiceDeps {
  store: BenchStore;
  events: EventSink<BenchEvent>;
  checks: ChecksToPause;
  runScript: LabScriptRunner;
  /** What to record about the platform with each run (image, engine). */
  platform: () => Promise<Partial<Environment>>;
  log?: Logger;
  /** Builds the runner for a sandbox; tests give one that plays a scripted sandbox. */
  runner?: RunnerFactory;
  /** A run ended (done, cancelled, failed), for the server's metrics. */
  onFinished?: (lab: string, status: 'done' | 'cancelled' | 'failed') => void;
}

export class BenchService {
  private readonly active = new Map<string, ActiveRun>();
  private readonly log: Logger;

  constructor(private readonly deps: BenchServiceDeps) {
    this.log = deps.log ?? silentLogger;
    const failed = deps.store.failInterrupted();
    if (failed) this.log.warn(`${failed} benchmark run(s) were interrupted by a restart`);
  }

  activeFor(learner: string, lab: string): { runId: string; progress?: BenchProgress } | undefined {
    for (const a of this.active.values()) {
      if (a.learner === learner && a.lab === lab) return { runId: a.runId, progress: a.progress };
    }
    return undefined;
  }

  /** Starts a run in the learner's sandbox and returns at once; the run reports on the lab event channel. */
  start(learner: string, lab: Lab, sandbox: { id: string }, config: BenchConfig): RunRecord {
    if (!lab.meta.benchmark) throw new AppError('no_benchmark', 'This lab has no benchmark.', { status: 404 });
    const profile = labProfile(lab);
    const unknown = unknownModes(config.modes, profile);
    if (unknown.length) {
      throw new AppError('bad_request', `This lab has no benchmark mode ${unknown.join(', ')}.`, { status: 400, hint: `Its modes: ${modeNames(profile).join(', ')}.` });
    }
    if (this.active.has(sandbox.id)) {
      throw new AppError('bench_running', 'A benchmark is already running in your sandbox.', { status: 409, hint: 'Wait for it, or cancel it.' });
    }
    const run = this.deps.store.createRun(learner, lab.slug, sandbox.id, config);
    const active: ActiveRun = { runId: run.id, learner, lab: lab.slug, abort: new AbortController() };
    this.active.set(sandbox.id, active);
    void this.execute(active, sandbox, config, profile).finally(() => this.active.delete(sandbox.id));
    return run;
  }

  cancel(learner: string, runId: string): boolean {
    for (const a of this.active.values()) {
      if (a.runId === runId && a.learner === learner) {
        a.abort.abort();
        return true;
      }
    }
    return false;
  }

  private async execute(active: ActiveRun, sandbox: { id: string }, config: BenchConfig, profile?: BenchProfile): Promise<void> {
    const { store, checks, events } = this.deps;
    const publish = (e: Omit<BenchEvent, 'type' | 'runId'>) =>
      events.publish(active.learner, active.lab, { type: 'bench', runId: active.runId, ...e });
    const shell: SandboxShell = (script, timeoutMs) => this.deps.runScript(sandbox.id, script, { timeoutMs });
    const runner = (this.deps.runner ?? ((sh, p) => new BenchRunner(sh, p)))(shell, profile);
    let samples = 0;
    checks.pause(active.learner, active.lab);
    this.log.info(`benchmark ${active.runId} started for ${active.learner}/${active.lab}`);
    try {
      const platform = await this.deps.platform();
      const { cancelled } = await runner.run(
        config,
        {
          signal: active.abort.signal,
          onEnvironment: (env) => store.setEnvironment(active.runId, env),
          onProgress: (p) => {
            active.progress = p;
            publish({ status: 'running', progress: p, samples });
          },
          onSample: (s) => {
            store.addSample(active.runId, s);
            samples++;
            publish({ status: 'running', progress: active.progress, samples });
          },
        },
        platform,
      );
      const status = cancelled ? 'cancelled' : 'done';
      store.finishRun(active.runId, status);
      this.deps.onFinished?.(active.lab, status);
      publish({ status, samples });
      this.log.info(`benchmark ${active.runId} ${status} (${samples} samples)`);
    } catch (err) {
      const e = err as AppError;
      const message = [e.message, ...(e.options?.details ?? [])].join('\n');
      store.finishRun(active.runId, 'failed', message);
      this.deps.onFinished?.(active.lab, 'failed');
      publish({ status: 'failed', samples, error: e.message });
      this.log.warn(`benchmark ${active.runId} failed`, message);
    } finally {
      checks.resume(active.learner, active.lab);
    }
  }
}
