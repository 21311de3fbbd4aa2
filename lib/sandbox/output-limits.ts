// Bounds on what the server reads from a sandbox. Everything a sandbox prints comes from programs the learner
// controls (they are root in it and may replace any tool), so it is read like untrusted network input: a byte cap per
// exec, a line-length cap and a rate cap per line stream, and nothing kept past them. Pure, so unit tests cover them.

/** "64 KiB", "4 MiB", "512 bytes": limits as learners read them in messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * An exec's stdout and stderr, kept up to one budget for both: `add` refuses the chunk that would pass it, and from
 * then on the collector is `overflowed` and keeps nothing more.
 */
export class OutputCollector {
  private readonly chunks: { stdout: Buffer[]; stderr: Buffer[] } = { stdout: [], stderr: [] };
  private size = 0;
  overflowed = false;

  constructor(readonly limit: number) {}

  /** False once the output passed the limit (what fits of this chunk is kept, for the message). */
  add(stream: 'stdout' | 'stderr', chunk: Buffer): boolean {
    if (this.overflowed) return false;
    const room = this.limit - this.size;
    if (chunk.length > room) {
      if (room > 0) this.chunks[stream].push(Buffer.from(chunk.subarray(0, room)));
      this.size = this.limit;
      this.overflowed = true;
      return false;
    }
    this.chunks[stream].push(chunk);
    this.size += chunk.length;
    return true;
  }

  text(stream: 'stdout' | 'stderr'): string {
    return Buffer.concat(this.chunks[stream]).toString('utf8');
  }
}

/**
 * Splits a byte stream into lines without ever holding a line longer than `maxLineBytes` (node's readline keeps a
 * line of any length: an endless line took a server from 182 MiB to 3.3 GB in 30 s). A trailing "\r" is dropped.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partial = 0;

  constructor(
    readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
  ) {}

  /** Feeds a chunk; false as soon as a line is longer than the limit (the rest of the chunk is dropped). */
  push(chunk: Buffer): boolean {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.partial + piece.length > this.maxLineBytes) return false;
      const bytes = this.partial ? Buffer.concat([...this.parts, piece]) : piece;
      this.parts = [];
      this.partial = 0;
      const line = bytes.toString('utf8');
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (this.partial + rest.length > this.maxLineBytes) return false;
    if (rest.length) {
      this.parts.push(Buffer.from(rest));
      this.partial += rest.length;
    }
    return true;
  }
}

/**
 * A rate cap over fixed windows: `add(n)` counts n units (bytes, lines) and answers false once a window holds more
 * than `perSecond` × its length. A window of a few seconds lets a program print a burst (a first sample, an error
 * message) without letting it stream more than the cap for long.
 */
export class RateWindow {
  private start: number;
  private count = 0;

  constructor(
    readonly perSecond: number,
    readonly windowMs: number,
    now = Date.now(),
  ) {
    this.start = now;
  }

  add(n: number, now = Date.now()): boolean {
    if (now - this.start >= this.windowMs) {
      this.start = now;
      this.count = 0;
    }
    this.count += n;
    return this.count <= (this.perSecond * this.windowMs) / 1000;
  }
}

/** What a line stream may print: longer lines, or more bytes or lines a second, end the stream and its process. */
export interface LineLimits {
  maxLineBytes: number;
  /** Bytes a second on stdout and stderr together, over `windowMs`. */
  maxBytesPerSecond: number;
  maxLinesPerSecond: number;
  windowMs: number;
}

/** How a line stream ended: by itself (or after stop()), or stopped by the server for passing a limit. */
export type LineStreamEnd =
  | { kind: 'exited' }
  | { kind: 'line-too-long'; limitBytes: number }
  | { kind: 'too-many-bytes'; limitPerSecond: number }
  | { kind: 'too-many-lines'; limitPerSecond: number };

/** "printed a line longer than 64 KiB", for messages that name the program first. */
export function describeStreamEnd(end: LineStreamEnd): string {
  switch (end.kind) {
    case 'line-too-long':
      return `printed a line longer than ${formatBytes(end.limitBytes)}`;
    case 'too-many-bytes':
      return `printed more than ${formatBytes(end.limitPerSecond)} a second`;
    case 'too-many-lines':
      return `printed more than ${end.limitPerSecond} lines a second`;
    case 'exited':
      return 'exited';
  }
}
