// The records lab-session's attach client (sandbox/session/client.c) frames a holder's byte stream with, and the
// lines of `lab-session list`. Everything here comes from the sandbox, where the learner is root: parsed strictly,
// with bounded lengths.

/** First, once: which holder this is, and which bytes of its output the replay that follows covers. */
export interface SessionHeader {
  /** The holder's identity (16 hex characters): a link that breaks comes back to this holder and no other. */
  holder: string;
  holderPid: number;
  /** The shell's pid in the sandbox (what `echo $$` prints in it). */
  shellPid: number;
  /** Byte offset in the shell's output where what follows starts. */
  start: number;
  /** Where the output the holder held at attach time ends: bytes up to here are a replay, after it live. */
  end: number;
}

export const HEADER_PREFIX = Buffer.from('\x1b]6973;session;');
/** A header is about 70 bytes; anything longer without its end is not one. */
export const MAX_HEADER_BYTES = 128;
const BEL = 0x07;
/** The header's fields, between its prefix and the BEL that ends it. */
const HEADER_FIELDS = /^([0-9a-f]{16});(\d{1,10});(\d{1,10});(\d{1,15});(\d{1,15})$/;

export type HeaderScan =
  | { state: 'partial' }
  | { state: 'header'; header: SessionHeader; rest: Buffer }
  /** Not a holder's stream (an error from docker, or a sandbox without lab-session): plain output. */
  | { state: 'plain' };

/** Looks for the header at the start of a link's output (`bytes`: everything received so far). */
export function scanHeader(bytes: Buffer): HeaderScan {
  const head = bytes.subarray(0, HEADER_PREFIX.length);
  if (!HEADER_PREFIX.subarray(0, head.length).equals(head)) return { state: 'plain' };
  const bel = bytes.indexOf(BEL);
  if (bel < 0) return bytes.length > MAX_HEADER_BYTES ? { state: 'plain' } : { state: 'partial' };
  const m = HEADER_FIELDS.exec(bytes.subarray(HEADER_PREFIX.length, bel).toString('latin1'));
  if (!m) return { state: 'plain' };
  const [holderPid, shellPid, start, end] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  if (end < start) return { state: 'plain' };
  return { state: 'header', header: { holder: m[1]!, holderPid, shellPid, start, end }, rest: bytes.subarray(bel + 1) };
}

/** Last, when the shell ended: its exit code (128 + signal when a signal ended it) and the signal. */
const EXIT_PREFIX = '\x1b]6973;exit;';
const EXIT_FIELDS = /^(\d{1,3});(\d{1,3})$/;
/** Output kept to find the exit record at the end of a link's stream. */
export const EXIT_RECORD_MAX_BYTES = 32;

/** The shell's exit, when `tail` (the last bytes of a link's stream) ends with the exit record. */
export function parseExitRecord(tail: string): { exitCode: number; signal?: number } | undefined {
  const at = tail.lastIndexOf(EXIT_PREFIX);
  if (at < 0 || !tail.endsWith('\x07')) return undefined;
  const m = EXIT_FIELDS.exec(tail.slice(at + EXIT_PREFIX.length, -1));
  if (!m) return undefined;
  const signal = Number(m[2]);
  return { exitCode: Number(m[1]), ...(signal ? { signal } : {}) };
}

/** A holder in a sandbox, as `lab-session list` shows it. */
export interface HeldSession {
  /** The session name: the terminal tab. */
  name: string;
  shellPid?: number;
  state: 'alive' | 'exited' | 'stale' | 'unresponsive';
}

const LIST_LINE = /^([A-Za-z0-9_-]{1,64}) (\d{1,10}|-) (alive|exited|stale|unresponsive) ([0-9a-f]{16}|-)$/;

/** `lab-session list` output; lines that do not parse are left out. */
export function parseSessionList(stdout: string): HeldSession[] {
  const out: HeldSession[] = [];
  for (const line of stdout.split('\n')) {
    const m = LIST_LINE.exec(line);
    if (!m) continue;
    out.push({ name: m[1]!, ...(m[2] !== '-' ? { shellPid: Number(m[2]) } : {}), state: m[3] as HeldSession['state'] });
  }
  return out;
}
