// Benchmark runs and their samples in SQLite, with the environment they ran in.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import type { BenchConfig, DatapathVerdict, Mode, Sample } from './model';
import type { Environment, RunRecord, RunStatus } from './types';

interface RunRow {
  id: string;
  learner: string;
  lab: string;
  sandbox: string;
  status: RunStatus;
  config: string;
  environment: string | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

interface SampleRow {
  idx: number;
  rep: number;
  mode: Mode;
  size: number;
  iperf: string | null;
  sockperf: string | null;
  datapath: string;
  error: string | null;
  started_at: string;
  duration_ms: number;
}

const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  learner: r.learner,
  lab: r.lab,
  sandbox: r.sandbox,
  status: r.status,
  config: JSON.parse(r.config),
  environment: r.environment ? JSON.parse(r.environment) : undefined,
  error: r.error ?? undefined,
  createdAt: r.created_at,
  finishedAt: r.finished_at ?? undefined,
});

export class BenchStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  createRun(learner: string, lab: string, sandbox: string, config: BenchConfig): RunRecord {
    const id = randomBytes(6).toString('hex');
    this.db
      .prepare('INSERT INTO bench_runs (id, learner, lab, sandbox, status, config, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, learner, lab, sandbox, 'running', JSON.stringify(config), this.now());
    return this.getRun(id)!;
  }

  setEnvironment(id: string, env: Environment): void {
    this.db.prepare('UPDATE bench_runs SET environment = ? WHERE id = ?').run(JSON.stringify(env), id);
  }

  finishRun(id: string, status: Exclude<RunStatus, 'running'>, error?: string): void {
    this.db.prepare('UPDATE bench_runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error ?? null, this.now(), id);
  }

  addSample(runId: string, s: Sample): void {
    this.db
      .prepare(
        `INSERT INTO bench_samples (run_id, idx, rep, mode, size, iperf, sockperf, datapath, error, started_at, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        runId,
        s.index,
        s.rep,
        s.mode,
        s.size,
        s.iperf ? JSON.stringify(s.iperf) : null,
        s.sockperf ? JSON.stringify(s.sockperf) : null,
        JSON.stringify(s.datapath),
        s.error ?? null,
        s.startedAt,
        s.durationMs,
      );
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM bench_runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  samples(runId: string): Sample[] {
    const rows = this.db.prepare('SELECT * FROM bench_samples WHERE run_id = ? ORDER BY idx').all(runId) as SampleRow[];
    return rows.map((r) => ({
      index: r.idx,
      rep: r.rep,
      mode: r.mode,
      size: r.size,
      iperf: r.iperf ? JSON.parse(r.iperf) : undefined,
      sockperf: r.sockperf ? JSON.parse(r.sockperf) : undefined,
      datapath: JSON.parse(r.datapath) as DatapathVerdict,
      error: r.error ?? undefined,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
    }));
  }

  listRuns(learner: string, lab: string): RunRecord[] {
    return (
      this.db.prepare('SELECT * FROM bench_runs WHERE learner = ? AND lab = ? ORDER BY created_at DESC').all(learner, lab) as RunRow[]
    ).map(toRun);
  }

  deleteRun(id: string): boolean {
    return this.db.prepare('DELETE FROM bench_runs WHERE id = ?').run(id).changes > 0;
  }

  /** Runs left "running" by a server that stopped: they will never finish. */
  failInterrupted(): number {
    return this.db
      .prepare("UPDATE bench_runs SET status = 'failed', error = 'the server stopped during the run', finished_at = ? WHERE status = 'running'")
      .run(this.now()).changes;
  }
}
