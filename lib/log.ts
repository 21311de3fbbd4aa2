// Minimal structured-enough logging: one line per event, with a scope. Tests pass a silent logger.
export interface Logger {
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
  child(scope: string): Logger;
}

function format(extra: unknown): string {
  if (extra === undefined) return '';
  if (extra instanceof Error) return ` ${extra.stack ?? extra.message}`;
  try {
    return ` ${JSON.stringify(extra)}`;
  } catch {
    return ` ${String(extra)}`;
  }
}

export function createLogger(scope = 'ebpf-labs', sink: (line: string) => void = (l) => console.log(l)): Logger {
  const write = (level: string) => (msg: string, extra?: unknown) =>
    sink(`${new Date().toISOString()} ${level} [${scope}] ${msg}${format(extra)}`);
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (sub) => createLogger(`${scope}:${sub}`, sink),
  };
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
