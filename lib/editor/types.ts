// What the editor's API answers, shared by the server and the Editor pane (no Node dependencies).
import type { Diagnostic, VerifierReport } from './diagnostics';

export interface FileVersion {
  size: number;
  /** Seconds since the epoch, with fractions. */
  mtime: number;
  sha256: string;
}

export interface FileStatus extends Partial<FileVersion> {
  path: string;
  exists: boolean;
}

export interface FileContent extends FileVersion {
  path: string;
  content: string;
}

export interface CommandResult {
  ok: boolean;
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  output: string;
}

export interface BuildResult extends CommandResult {
  diagnostics: Diagnostic[];
}

export interface LoadResult extends CommandResult {
  verifier: VerifierReport;
}
