// What the benchmark records and reports, shared by the server and the Benchmarks pane (no Node dependencies).
import type { BenchConfig, Mode } from './model';

export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface Environment {
  kernel: string;
  cpus: number;
  proxy: string;
  /** The CPU every participant was pinned to, or "none". */
  pinning: string;
  image?: string;
  engine?: string;
  /** Where the accelerated mode's programs came from: the learner's ~/lab build or the reference build. */
  accelPrograms?: 'workspace' | 'reference';
}

export interface RunRecord {
  id: string;
  learner: string;
  lab: string;
  sandbox: string;
  status: RunStatus;
  config: BenchConfig;
  environment?: Environment;
  error?: string;
  createdAt: number;
  finishedAt?: number;
}

/** Where a running benchmark is: the n-th of `total` samples, and the time it still needs. */
export interface BenchProgress {
  index: number;
  total: number;
  rep: number;
  size: number;
  mode: Mode;
  secondsLeft: number;
}

/** A benchmark run moved on: a new status, a progress report, or a new sample (the page then fetches the run). */
export interface BenchEvent {
  type: 'bench';
  runId: string;
  status: RunStatus;
  progress?: BenchProgress;
  samples?: number;
  error?: string;
}
