// Logging: one line per event with a scope, as JSON lines for operators (time, level, scope, msg, the request id of
// the HTTP request it belongs to, and the event's fields) or as text for a developer's terminal. Learner ids may
// appear; cookies, tokens and secrets never do (fields with those names are redacted). Tests pass a silent logger.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Logger {
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
  child(scope: string): Logger;
}

export type LogFormat = 'json' | 'text';

/** The request a log line belongs to: server.ts runs each HTTP request inside its own context. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Field names whose values never reach a log, at any depth. */
const SECRET_FIELD = /cookie|authorization|token|secret|password/i;

function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

function textOf(extra: unknown): string {
  if (extra === undefined) return '';
  if (extra instanceof Error) return ` ${extra.stack ?? extra.message}`;
  try {
    return ` ${JSON.stringify(redact(extra))}`;
  } catch {
    return ` ${String(extra)}`;
  }
}

function jsonOf(level: string, scope: string, msg: string, extra: unknown): string {
  const requestId = requestContext.getStore()?.requestId;
  const fields = extra === undefined ? {} : extra instanceof Error || typeof extra !== 'object' || Array.isArray(extra) ? { detail: redact(extra) } : (redact(extra) as object);
  try {
    return JSON.stringify({ time: new Date().toISOString(), level, scope, msg, ...(requestId ? { requestId } : {}), ...fields });
  } catch {
    return JSON.stringify({ time: new Date().toISOString(), level, scope, msg, ...(requestId ? { requestId } : {}), detail: String(extra) });
  }
}

export function createLogger(scope = 'ebpf-labs', sink: (line: string) => void = (l) => console.log(l), format: LogFormat = 'text'): Logger {
  const write = (level: string) => (msg: string, extra?: unknown) =>
    sink(format === 'json' ? jsonOf(level, scope, msg, extra) : `${new Date().toISOString()} ${level} [${scope}] ${msg}${textOf(extra)}`);
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (sub) => createLogger(`${scope}:${sub}`, sink, format),
  };
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
