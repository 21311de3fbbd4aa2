// Commands in a sandbox through the engine's exec API, read as untrusted input: every exec has a time bound and an
// output bound, every line stream a line-length bound, a rate bound and a way to end it; whatever passes a bound is
// ended and its processes are killed inside the sandbox (lab-kill, by the marker each exec carries), because an exec
// cannot be signalled through the engine's API and the engine may be remote.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { AppError, SandboxNotFoundError } from '../errors';
import type { Logger } from '../log';
import { demuxOutput, execEnv, LAB_KILL, newRunToken } from './exec-stream';
import { LineSplitter, OutputCollector, RateWindow, type LineLimits, type LineStreamEnd } from './output-limits';
import type { ExecOptions, ExecResult, LineStream, LineStreamHandlers } from './types';

/**
 * Output of an exec whose caller chose no limit (stdout and stderr together). Callers choose per use (checks 64 KiB,
 * file reads 256 KiB and a header, captures and builds a few MiB); 1 MiB bounds the rest. Past the limit the exec is
 * ended and killed: everything a sandbox prints comes from programs the learner controls.
 */
export const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;
/** An exec whose caller chose no timeout: every exec ends. Two minutes: longer than any tool or test needs. */
export const DEFAULT_EXEC_TIMEOUT_MS = 120_000;
/**
 * A line stream whose caller chose no limits: lines up to 64 KiB, 256 KiB and 50 lines a second, measured over 2 s
 * so that a first burst passes and a flood does not. (The datapath hub, the one stream, sets its own: SAMPLER_LIMITS.)
 */
export const DEFAULT_LINE_LIMITS: LineLimits = { maxLineBytes: 64 * 1024, maxBytesPerSecond: 256 * 1024, maxLinesPerSecond: 50, windowMs: 2000 };
/** Extra time past the in-sandbox `timeout` before the server gives up on the stream itself. */
const EXEC_TIMEOUT_GRACE_MS = 3000;
/** `timeout --kill-after`: a command that ignores SIGTERM gets SIGKILL this much later. */
const KILL_AFTER_S = 1;
/** lab-kill scans /proc once or twice: tens of milliseconds; five seconds means the sandbox is wedged (destroy copes). */
const LAB_KILL_TIMEOUT_MS = 5000;
/** A streaming command gets this long after its stdin closes before it is killed in the sandbox. */
const STREAM_STOP_GRACE_MS = 2000;
/** A streaming command's stderr is kept for the log when it dies: a few lines, capped in case it floods. */
const STREAM_STDERR_LIMIT = 64 * 1024;

/** Wraps argv so that the command and its whole process group die when the timeout expires. */
export function withTimeout(argv: string[], timeoutMs?: number): string[] {
  if (!timeoutMs) return argv;
  return ['timeout', `--kill-after=${KILL_AFTER_S}`, `${(timeoutMs / 1000).toFixed(3)}s`, ...argv];
}

/** Exit codes of coreutils `timeout`: 124 when the command was stopped by SIGTERM, 137 by SIGKILL. */
export function isTimeoutExit(exitCode: number, durationMs: number, timeoutMs?: number): boolean {
  return !!timeoutMs && (exitCode === 124 || exitCode === 137) && durationMs >= timeoutMs;
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

export class DockerExec {
  constructor(
    private readonly docker: Docker,
    private readonly log: Logger,
  ) {}

  /** Creates an exec in the sandbox; a missing or stopped sandbox becomes an error that says what to do. */
  private async createExec(id: string, config: Docker.ExecCreateOptions): Promise<Docker.Exec> {
    return this.docker
      .getContainer(id)
      .exec(config)
      .catch((err) => {
        if (isNotFound(err)) throw new SandboxNotFoundError(id);
        if ((err as { statusCode?: number }).statusCode === 409) {
          throw new AppError('sandbox_stopped', `Sandbox ${id} is not running.`, {
            status: 409,
            hint: 'Restart the lab to get a fresh sandbox.',
            cause: err,
          });
        }
        throw err;
      });
  }

  /** Runs a command to its end within its bounds; past them it is killed in the sandbox and the result says so. */
  exec(id: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return this.runExec(id, argv, options, true);
  }

  /**
   * Runs a command to its end, within a time bound (in the sandbox: timeout(1); on the server: a backstop) and a byte
   * bound on its output. An exec cut short by the server is killed in the sandbox (lab-kill) unless `killOnCut` is
   * false (lab-kill itself).
   */
  private async runExec(id: string, argv: string[], options: ExecOptions, killOnCut: boolean): Promise<ExecResult> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const outputLimit = options.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
    const token = newRunToken();
    const hasStdin = options.stdin !== undefined;
    const exec = await this.createExec(id, {
      Cmd: withTimeout(argv, timeoutMs),
      AttachStdin: hasStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: execEnv(token, options.env),
      WorkingDir: options.workdir,
      User: options.user,
    });
    const stream = (await exec.start({ hijack: true, stdin: hasStdin })) as Duplex;
    const output = new OutputCollector(outputLimit);
    // Why the server ended the exec, if it did: its output passed the limit, or it outlived its timeout.
    let cut: 'overflow' | 'backstop' | undefined;
    const cutShort = (why: 'overflow' | 'backstop') => {
      if (cut) return;
      cut = why;
      stream.destroy(); // read nothing more: the socket's buffers are all the server holds
    };
    const ended = new Promise<void>((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', (err) => (cut ? resolve() : reject(err)));
    });
    demuxOutput(stream, (which, chunk) => {
      if (!cut && !output.add(which, chunk)) cutShort('overflow');
    });
    const backstop = setTimeout(() => cutShort('backstop'), timeoutMs + KILL_AFTER_S * 1000 + EXEC_TIMEOUT_GRACE_MS);
    if (hasStdin) {
      stream.write(options.stdin);
      stream.end(); // half-close: the command sees end-of-file on its stdin
    }
    try {
      await ended;
    } finally {
      clearTimeout(backstop);
    }
    if (cut && killOnCut) await this.killRun(id, token);
    const exitCode = (await this.exitCodeOf(exec)) ?? 137;
    const durationMs = Date.now() - started;
    if (cut) this.log.warn(`${argv[0]} in ${id} ${cut === 'overflow' ? `printed more than ${outputLimit} bytes` : 'outlived its timeout'}: killed`);
    return {
      exitCode,
      stdout: output.text('stdout'),
      stderr: output.text('stderr'),
      timedOut: cut === 'backstop' || isTimeoutExit(exitCode, durationMs, timeoutMs),
      durationMs,
      overflow: cut === 'overflow',
      outputLimit,
    };
  }

  /** Kills every process of one exec in the sandbox (lab-kill, by the exec's marker); logs, never throws. */
  private async killRun(id: string, token: string): Promise<void> {
    try {
      const r = await this.runExec(id, [LAB_KILL, token], { timeoutMs: LAB_KILL_TIMEOUT_MS, outputLimit: 4096 }, false);
      if (r.exitCode !== 0) this.log.warn(`lab-kill in ${id} exited ${r.exitCode}`, r.stderr.trim());
    } catch (err) {
      if (!(err instanceof SandboxNotFoundError)) this.log.warn(`lab-kill in ${id} failed`, err);
    }
  }

  /** The engine may report the exec as still running for a moment after its stream ended; undefined if it still is. */
  private async exitCodeOf(exec: Docker.Exec): Promise<number | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect().catch(() => undefined);
      if (!info) return undefined;
      if (!info.Running && info.ExitCode !== null) return info.ExitCode;
      await new Promise((r) => setTimeout(r, 10));
    }
    return undefined;
  }

  async streamLines(id: string, argv: string[], handlers: LineStreamHandlers, limits: Partial<LineLimits> = {}): Promise<LineStream> {
    const l = { ...DEFAULT_LINE_LIMITS, ...limits };
    const token = newRunToken();
    // stdin stays open: the command is expected to exit when it sees end-of-file there, which is how stop() ends
    // it. Closing the connection alone would not: the engine keeps an exec running after its client has gone.
    const exec = await this.createExec(id, {
      Cmd: argv,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      Env: execEnv(token),
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
    const stderr = new OutputCollector(STREAM_STDERR_LIMIT);
    const bytes = new RateWindow(l.maxBytesPerSecond, l.windowMs);
    const lines = new RateWindow(l.maxLinesPerSecond, l.windowMs);
    // running -> stopping (stdin closed) -> cutting (killing in the sandbox) -> ended (onExit called, once)
    let state: 'running' | 'stopping' | 'cutting' | 'ended' = 'running';
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const reading = () => state === 'running' || state === 'stopping';
    const finish = (end: LineStreamEnd) => {
      if (state === 'ended') return;
      state = 'ended';
      clearTimeout(killTimer);
      try {
        handlers.onExit(stderr.text('stderr'), end);
      } catch (err) {
        this.log.warn(`stream of ${argv[0]} in ${id}: its exit handler failed`, err);
      }
    };
    /** Stops reading at once, kills the command's processes in the sandbox, then reports. */
    const cut = (end: LineStreamEnd) => {
      if (!reading()) return;
      state = 'cutting';
      stream.destroy();
      if (end.kind !== 'exited') this.log.warn(`stream of ${argv[0]} in ${id} passed its limits (${end.kind}): killed`);
      void this.killRun(id, token).finally(() => finish(end));
    };
    const splitter = new LineSplitter(l.maxLineBytes, (line) => {
      if (!reading()) return;
      if (!lines.add(1)) return cut({ kind: 'too-many-lines', limitPerSecond: l.maxLinesPerSecond });
      try {
        handlers.onLine(line);
      } catch (err) {
        this.log.warn(`stream of ${argv[0]} in ${id}: a line handler failed`, err);
      }
    });
    demuxOutput(stream, (which, chunk) => {
      if (!reading()) return;
      if (!bytes.add(chunk.length)) return cut({ kind: 'too-many-bytes', limitPerSecond: l.maxBytesPerSecond });
      if (which === 'stderr') stderr.add('stderr', chunk);
      else if (!splitter.push(chunk)) cut({ kind: 'line-too-long', limitBytes: l.maxLineBytes });
    });
    const onEnd = () => {
      if (reading()) finish({ kind: 'exited' });
    };
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', (err) => {
      if (reading()) this.log.warn(`stream of ${argv[0]} in ${id} failed`, err);
      onEnd();
    });
    return {
      stop: () => {
        if (state !== 'running') return;
        state = 'stopping';
        stream.end();
        // A command that ignores end-of-file would run on in the sandbox after the connection closed: kill it there.
        killTimer = setTimeout(() => cut({ kind: 'exited' }), STREAM_STOP_GRACE_MS);
      },
    };
  }
}
