import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { testLab } from '@/tests/doubles/lab';
import { migrate } from '../db';
import { AppError } from '../errors';
import { LabEventChannel } from '../lab-events/channel';
import type { LabEvent } from '../lab-events/events';
import { BenchConfigSchema, type Sample } from './model';
import type { RunHooks } from './runner';
import { BenchService, type ChecksToPause, type RunnerFactory } from './service';
import { BenchStore } from './store';

const lab = testLab('bench-lab', { '01-a': 'true' }, { benchmark: { after: '01-a' } });
const noBench = testLab('plain-lab', { '01-a': 'true' });
const config = BenchConfigSchema.parse({ sizes: [1024], repetitions: 1, durationS: 1 });

const sample = (mode: Sample['mode'], index: number): Sample => ({
  index,
  rep: 1,
  size: 1024,
  mode,
  startedAt: new Date(0).toISOString(),
  durationMs: 1,
  datapath: { proxyConnections: 0, redirected: 0, ok: true, problems: [] },
});

/** A runner the test steps through: each call of next() lets it report one more sample; finish() ends the run. */
class SteppedRunner {
  hooks?: RunHooks;
  private resolveRun?: (r: { samples: Sample[]; cancelled: boolean }) => void;
  private rejectRun?: (e: Error) => void;
  readonly samples: Sample[] = [];
  private onStart!: () => void;
  /** Resolves once the service started the run (declared after onStart: fields initialise in order). */
  readonly started = new Promise<void>((r) => (this.onStart = r));

  factory: RunnerFactory = () => ({
    run: (_config, hooks = {}, platform = {}) => {
      this.hooks = hooks;
      hooks.onEnvironment?.({ kernel: '6.18', cpus: 2, proxy: 'haproxy', pinning: '1', ...platform });
      this.onStart();
      return new Promise((resolve, reject) => {
        this.resolveRun = resolve;
        this.rejectRun = reject;
        hooks.signal?.addEventListener('abort', () => resolve({ samples: this.samples, cancelled: true }));
      });
    },
  });
  next(mode: Sample['mode']): void {
    this.hooks!.onProgress?.({ index: this.samples.length, total: 3, rep: 1, size: 1024, mode, secondsLeft: 5 });
    const s = sample(mode, this.samples.length);
    this.samples.push(s);
    this.hooks!.onSample?.(s);
  }
  finish(): void {
    this.resolveRun!({ samples: this.samples, cancelled: false });
  }
  fail(message: string): void {
    this.rejectRun!(new AppError('bench_failed', message, { details: ['exit 3'] }));
  }
}

class PauseLog implements ChecksToPause {
  readonly calls: string[] = [];
  pause(learner: string, lab: string) {
    this.calls.push(`pause ${learner}/${lab}`);
  }
  resume(learner: string, lab: string) {
    this.calls.push(`resume ${learner}/${lab}`);
  }
}

let store: BenchStore;
let events: LabEventChannel;
let got: LabEvent[];
let checks: PauseLog;
let runner: SteppedRunner;
let service: BenchService;

const settle = () => new Promise((r) => setImmediate(r));

beforeEach(() => {
  const db = new Database(':memory:');
  migrate(db);
  store = new BenchStore(db);
  events = new LabEventChannel();
  got = [];
  events.subscribe('ann', 'bench-lab', (e) => got.push(e));
  checks = new PauseLog();
  runner = new SteppedRunner();
  service = new BenchService({
    store,
    events,
    checks,
    runScript: async () => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1 }),
    platform: async () => ({ engine: 'Docker test' }),
    runner: runner.factory,
  });
});

describe('BenchService', () => {
  it('runs in the background: stores every sample, reports progress on the lab channel, pauses the checks meanwhile', async () => {
    const run = service.start('ann', lab, { id: 'sb-1' }, config);
    expect(run).toMatchObject({ learner: 'ann', lab: 'bench-lab', sandbox: 'sb-1', status: 'running' });
    await runner.started;
    expect(checks.calls).toEqual(['pause ann/bench-lab']);
    expect(service.activeFor('ann', 'bench-lab')).toEqual({ runId: run.id, progress: undefined });

    runner.next('direct');
    runner.next('proxy');
    expect(store.samples(run.id).map((s) => s.mode)).toEqual(['direct', 'proxy']);
    expect(service.activeFor('ann', 'bench-lab')?.progress).toMatchObject({ index: 1, mode: 'proxy' });
    runner.finish();
    await settle();

    expect(store.getRun(run.id)).toMatchObject({ status: 'done', environment: { kernel: '6.18', engine: 'Docker test' } });
    expect(checks.calls).toEqual(['pause ann/bench-lab', 'resume ann/bench-lab']);
    expect(service.activeFor('ann', 'bench-lab')).toBeUndefined();
    const bench = got.filter((e) => e.type === 'bench');
    expect(bench.map((e) => [e.status, e.samples])).toEqual([
      ['running', 0],
      ['running', 1],
      ['running', 1],
      ['running', 2],
      ['done', 2],
    ]);
  });

  it('refuses a second run in the same sandbox, and a lab without a benchmark', async () => {
    service.start('ann', lab, { id: 'sb-1' }, config);
    expect(() => service.start('ann', lab, { id: 'sb-1' }, config)).toThrow(expect.objectContaining({ code: 'bench_running', status: 409 }));
    expect(() => service.start('ann', noBench, { id: 'sb-2' }, config)).toThrow(expect.objectContaining({ code: 'no_benchmark', status: 404 }));
  });

  it('cancels only the learner own run, keeps the samples so far, and resumes the checks', async () => {
    const run = service.start('ann', lab, { id: 'sb-1' }, config);
    await runner.started;
    runner.next('direct');
    expect(service.cancel('bob', run.id)).toBe(false);
    expect(service.cancel('ann', run.id)).toBe(true);
    await settle();
    expect(store.getRun(run.id)?.status).toBe('cancelled');
    expect(store.samples(run.id)).toHaveLength(1);
    expect(checks.calls.at(-1)).toBe('resume ann/bench-lab');
    expect(got.at(-1)).toMatchObject({ type: 'bench', status: 'cancelled', samples: 1 });
  });

  it('records a failed run with what went wrong, and still resumes the checks', async () => {
    const run = service.start('ann', lab, { id: 'sb-1' }, config);
    await runner.started;
    runner.fail('The benchmark failed at looking at the sandbox.');
    await settle();
    expect(store.getRun(run.id)).toMatchObject({ status: 'failed', error: 'The benchmark failed at looking at the sandbox.\nexit 3' });
    expect(got.at(-1)).toMatchObject({ status: 'failed', error: 'The benchmark failed at looking at the sandbox.' });
    expect(checks.calls.at(-1)).toBe('resume ann/bench-lab');
  });

  it('marks runs a restart interrupted as failed', () => {
    const run = store.createRun('ann', 'bench-lab', 'sb-1', config);
    new BenchService({ store, events, checks, runScript: async () => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1 }), platform: async () => ({}) });
    expect(store.getRun(run.id)?.status).toBe('failed');
  });
});
