// An in-memory SandboxDriver for unit tests of logic that sits on top of the driver (never for sandbox tests).
import type { DestroyReport, ExecResult, LineStream, LineStreamHandlers, Sandbox, SandboxDriver, SandboxFilter, SandboxInfo, SandboxSpec, SandboxUsage } from '@/lib/sandbox/types';

export class FakeDriver implements SandboxDriver {
  readonly sandboxes = new Map<string, SandboxInfo>();
  readonly destroyed: string[] = [];
  created = 0;
  createDelayMs = 0;
  execHandler: (id: string, argv: string[]) => ExecResult = () => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1 });

  async create(spec: SandboxSpec): Promise<Sandbox> {
    this.created++;
    if (this.createDelayMs) await new Promise((r) => setTimeout(r, this.createDelayMs));
    const info: SandboxInfo = {
      id: `fake-${this.created}`,
      owner: spec.owner,
      lab: spec.lab,
      purpose: spec.purpose ?? 'learner',
      createdAt: new Date(),
      running: true,
      proxy: 'haproxy',
    };
    this.sandboxes.set(info.id, info);
    return { ...info, preflight: { ok: true, cgroup: '/cg', cgroupMode: 'v1', kernel: '6', proxy: 'haproxy', missing: [] } };
  }
  async exec(id: string, argv: string[]): Promise<ExecResult> {
    return this.execHandler(id, argv);
  }
  /** Streams started by streamLines, newest last: a test feeds lines with emit() and ends them with exit(). */
  readonly streams: { id: string; argv: string[]; stopped: boolean; emit(line: string): void; exit(stderr?: string): void }[] = [];
  async streamLines(id: string, argv: string[], handlers: LineStreamHandlers): Promise<LineStream> {
    const s = { id, argv, stopped: false, emit: (line: string) => handlers.onLine(line), exit: (stderr = '') => handlers.onExit(stderr) };
    this.streams.push(s);
    return { stop: () => { s.stopped = true; } };
  }
  async copyIn(): Promise<void> {}
  async copyOut(): Promise<Buffer> {
    return Buffer.alloc(0);
  }
  async destroy(id: string): Promise<DestroyReport> {
    this.sandboxes.delete(id);
    this.destroyed.push(id);
    return { id, cleaned: [], problems: [] };
  }
  async list(filter: SandboxFilter = {}): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()].filter(
      (s) => (!filter.owner || s.owner === filter.owner) && (!filter.lab || s.lab === filter.lab),
    );
  }
  async inspect(id: string): Promise<SandboxInfo | undefined> {
    return this.sandboxes.get(id);
  }
  /** What usage() reports per sandbox (tests set it). */
  readonly usages = new Map<string, SandboxUsage>();
  async usage(id: string): Promise<SandboxUsage | undefined> {
    return this.usages.get(id);
  }
}
