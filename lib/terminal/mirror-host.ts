// Screen mirrors as a terminal session sees them (write, resize, snapshot), and the worker thread they run in on the
// server: one thread for every session's mirror (mirror-worker.ts), so that parsing output and serializing a
// screen never hold up the event loop that relays every learner's keystrokes. Unit tests use local-mirrors.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { silentLogger, type Logger } from '../log';
import type { FromWorker, ScreenSnapshot, ToWorker } from './mirror-messages';

export type { ScreenSnapshot };

export interface MirrorEvents {
  /** The mirror has applied `chars` more characters of the output written to it. */
  parsed(chars: number): void;
  /** The mirror is gone (its worker died): a new one has to be made from what the session still has. */
  lost(): void;
}

/** One terminal's screen mirror. Calls apply in the order they are made, as the output was printed. */
export interface Mirror {
  write(text: string): void;
  resize(cols: number, rows: number): void;
  /** The screen once everything written before this call is applied. */
  snapshot(): Promise<ScreenSnapshot>;
  dispose(): void;
}

export interface MirrorFactory {
  create(cols: number, rows: number, events: MirrorEvents): Mirror;
  /** Ends every mirror (the server is stopping). */
  close(): void;
}

/**
 * The worker's entry, run through tsx like the server itself: a worker does not inherit the server's loader. tsx's
 * ESM API is found through its package's own exports map (its CommonJS build registers a path that does not exist).
 */
function bootstrap(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const entry = pathToFileURL(path.join(here, 'mirror-worker.ts')).href;
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsx = pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  return `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry)}))`;
}

/**
 * A worker that died this many times within FAILURE_WINDOW_MS is not started again for a while: sessions opened
 * meanwhile keep no mirror, and their restores use the raw output.
 */
const MAX_FAILURES = 3;
const FAILURE_WINDOW_MS = 60_000;

/**
 * A mirror that keeps nothing (its worker cannot run): output counts as applied at once, and a snapshot fails, so
 * that the session gives browsers the raw output it kept instead.
 */
function noMirror(events: MirrorEvents): Mirror {
  return {
    write: (text) => events.parsed(text.length),
    resize: () => {},
    snapshot: () => Promise.reject(new Error('no screen mirror: its worker keeps failing')),
    dispose: () => {},
  };
}

/** Mirrors in one worker thread, started with the first mirror and again after it died (up to MAX_FAILURES). */
export function workerMirrors(log: Logger = silentLogger): MirrorFactory {
  let worker: Worker | undefined;
  let failures: number[] = [];
  let nextId = 1;
  let nextReq = 1;
  const live = new Map<number, MirrorEvents>();
  const waiting = new Map<number, { resolve(s: ScreenSnapshot): void; reject(e: Error): void }>();

  const onMessage = (msg: FromWorker) => {
    if (msg.op === 'parsed') return live.get(msg.id)?.parsed(msg.chars);
    const w = waiting.get(msg.req);
    waiting.delete(msg.req);
    if (msg.op === 'snapshot') w?.resolve({ screen: msg.screen, cols: msg.cols, rows: msg.rows });
    else w?.reject(new Error(msg.message));
  };

  const onGone = (w: Worker, why: string) => {
    if (worker !== w) return;
    worker = undefined;
    failures.push(Date.now());
    log.error(`the screen mirror worker ${why}: restores fall back to the kept output until the mirrors are rebuilt`);
    for (const { reject } of waiting.values()) reject(new Error(`the screen mirror worker ${why}`));
    waiting.clear();
    const lost = [...live.values()];
    live.clear();
    for (const events of lost) events.lost();
  };

  const running = (): Worker | undefined => {
    if (worker) return worker;
    const now = Date.now();
    failures = failures.filter((t) => now - t < FAILURE_WINDOW_MS);
    if (failures.length >= MAX_FAILURES) return undefined;
    const w = new Worker(bootstrap(), { eval: true, name: 'screen-mirrors' });
    // Never what keeps the server's process alive: it exits when the server does.
    w.unref();
    w.on('message', onMessage);
    w.on('error', (err) => onGone(w, `failed (${err.message})`));
    w.on('exit', (code) => onGone(w, `exited (code ${code})`));
    worker = w;
    return w;
  };

  return {
    create(cols, rows, events) {
      const id = nextId++;
      const w = running();
      if (!w) return noMirror(events);
      const send = (msg: ToWorker) => {
        if (worker === w && live.has(id)) w.postMessage(msg);
      };
      live.set(id, events);
      w.postMessage({ op: 'open', id, cols, rows } satisfies ToWorker);
      return {
        write: (text) => send({ op: 'write', id, text }),
        resize: (c, r) => send({ op: 'resize', id, cols: c, rows: r }),
        snapshot() {
          if (worker !== w || !live.has(id)) return Promise.reject(new Error('this screen mirror is gone'));
          const req = nextReq++;
          return new Promise((resolve, reject) => {
            waiting.set(req, { resolve, reject });
            send({ op: 'snapshot', id, req });
          });
        },
        dispose() {
          send({ op: 'close', id });
          live.delete(id);
        },
      };
    },
    close() {
      const w = worker;
      worker = undefined;
      live.clear();
      for (const { reject } of waiting.values()) reject(new Error('the server is stopping'));
      waiting.clear();
      void w?.terminate();
    },
  };
}
