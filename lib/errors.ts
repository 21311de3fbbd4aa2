// A typed error for everything a user can be told about: what happened and what to do.
// Internals (stack, engine messages) go to the log; users see `message` and `hint`.

export class AppError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. "docker_unavailable". */
    readonly code: string,
    message: string,
    readonly options: {
      status?: number;
      hint?: string;
      cause?: unknown;
      details?: string[];
      /** Machine-readable facts the page acts on (e.g. a place in the waiting line). */
      data?: Record<string, string | number | boolean | null>;
      /** Seconds after which the same request may succeed (sent as Retry-After). */
      retryAfterS?: number;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
  }

  get status(): number {
    return this.options.status ?? 500;
  }

  get hint(): string | undefined {
    return this.options.hint;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, hint: this.hint, details: this.options.details, data: this.options.data } };
  }

  toResponse(): Response {
    const retry = this.options.retryAfterS;
    return Response.json(this.toJSON(), { status: this.status, headers: retry ? { 'retry-after': String(Math.ceil(retry)) } : undefined });
  }
}

/**
 * AppError check that also works across bundles: Next compiles route code separately from server.ts, so an error
 * thrown by a service may come from another copy of this class.
 */
export function isAppError(err: unknown): err is AppError {
  return (
    err instanceof AppError ||
    (err instanceof Error && err.name === 'AppError' && typeof (err as AppError).code === 'string' && 'toResponse' in err)
  );
}

export class DockerUnavailableError extends AppError {
  constructor(where: string, cause?: unknown) {
    super('docker_unavailable', `The Docker engine at ${where} does not answer.`, {
      status: 503,
      cause,
      hint:
        'Start it with "npm run setup" (installs and starts Docker on Debian/Ubuntu as root), ' +
        'or start your own engine and point DOCKER_HOST at it.',
    });
  }
}

export class SandboxPreflightError extends AppError {
  constructor(readonly missing: string[]) {
    super('sandbox_preflight', `This host cannot run the labs: ${missing.length} kernel feature(s) missing.`, {
      status: 500,
      details: missing,
      hint: 'The labs need a kernel with BTF, sockmap and cgroup v2 BPF; see the README, "Requirements".',
    });
  }
}

export class SandboxNotFoundError extends AppError {
  constructor(id: string) {
    super('sandbox_not_found', `Sandbox ${id} does not exist (it may have been removed).`, {
      status: 404,
      hint: 'Start a new sandbox from the lab page.',
    });
  }
}

/** True when a Docker call failed because nothing listens at the engine's address (it stopped or went away). */
export function isEngineConnectionError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return !!e && e.syscall === 'connect' && ['ECONNREFUSED', 'ENOENT', 'EACCES', 'ETIMEDOUT'].includes(e.code ?? '');
}
