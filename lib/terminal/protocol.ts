// The terminal wire protocol, shared by the browser (components/terminal) and the server (lib/terminal).
// No Node or DOM dependencies: it runs on both sides.
//
// Binary frames carry terminal data. Server -> browser: [kind u8][offset u32 hi][offset u32 lo][UTF-8 text].
//   kind OUTPUT:  live output; `offset` is the position of its first character in the session's output stream.
//   kind REPLAY:  a fresh screen, after a hello that says `resumed: false`:
//                 - for a client that asked for screen restores (screen=1): the screen restore the hello announces
//                   (`screen`), in pieces at their offsets in the restore (0 first). It starts with a full reset
//                   (RIS) and draws the screen and scrollback on a terminal of the hello's cols x rows; live output
//                   continues at the hello's `offset` once all its characters are in;
//                 - otherwise the session's retained output from a line boundary, which the client writes on a reset
//                   terminal: `offset` is where it starts, and live output continues at offset + its length (pieces
//                   after the first are OUTPUT frames).
// Browser -> server: [kind INPUT u8][UTF-8 text] (keystrokes and pastes).
// Text frames carry small JSON control messages (ControlToServer / ControlToClient below).
//
// Offsets count UTF-16 code units of the decoded text (what `string.length` counts) on both sides. A client that
// reconnects sends the offset it has rendered up to; the server sends only what comes after it.

/**
 * Where the terminal WebSocket is served:
 * /ws/terminal?lab=<slug>&tab=<name>&cols=<n>&rows=<n>[&screen=1][&resume=<offset>&session=<id>][&fresh=1].
 */
export const TERMINAL_PATH = '/ws/terminal';

export const FRAME = { OUTPUT: 1, REPLAY: 2, INPUT: 3 } as const;
const HEADER_BYTES = 9;

/**
 * Flow control, in characters (VS Code's values). The server pauses the shell when more than HIGH_WATERMARK
 * characters are unacknowledged and resumes below LOW_WATERMARK. The browser acknowledges every ACK_SIZE characters
 * once xterm has written them.
 * Invariant: ACK_SIZE <= LOW_WATERMARK, or a paused terminal would never resume (the browser would wait for a full
 * ACK_SIZE that the paused server never sends).
 */
export const FLOW = { HIGH_WATERMARK: 100_000, LOW_WATERMARK: 5_000, ACK_SIZE: 5_000 } as const;

/** Largest frame either side accepts. The browser splits larger pastes. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Pastes are sent in pieces of at most this many characters (well under MAX_FRAME_BYTES in UTF-8). */
export const INPUT_CHUNK_CHARS = 8 * 1024;

/** Close codes; the reason string is meant for the learner and shown by the UI. */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** No close frame arrived (set by the browser, never sent): the server died or the network dropped. */
  ABNORMAL: 1006,
  TOO_BIG: 1009,
  /** The server hit an unexpected condition; a new connection may well succeed. */
  INTERNAL_ERROR: 1011,
  /** The server is restarting (sent by proxies and servers other than ours). */
  SERVICE_RESTART: 1012,
  /** The server is overloaded for now: try again later. */
  TRY_AGAIN_LATER: 1013,
  /** Another browser tab took this terminal over. */
  REPLACED: 4000,
  /** The shell exited; a new one can be started. */
  ENDED: 4001,
  /** The server is restarting: reconnect. */
  RESTARTING: 4002,
  /** A malformed frame or an unknown message type. */
  PROTOCOL: 4400,
  NOT_AUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  SERVER_ERROR: 4500,
} as const;

/** Closes that say nothing about the session itself, only that this socket ended: the shell may well be alive. */
const TRANSIENT_CLOSES: ReadonlySet<number> = new Set([
  CLOSE.GOING_AWAY,
  CLOSE.RESTARTING,
  CLOSE.ABNORMAL,
  CLOSE.INTERNAL_ERROR,
  CLOSE.SERVICE_RESTART,
  CLOSE.TRY_AGAIN_LATER,
]);

/** Closes after which the browser reconnects by itself, without a click. */
export function shouldReconnect(code: number): boolean {
  return TRANSIENT_CLOSES.has(code);
}

export type ControlToServer =
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'ack'; chars: number }
  | { type: 'ping'; t: number };

/** A screen restore: the next `chars` characters (REPLAY frames) draw the screen of a cols x rows terminal. */
export interface ScreenRestore {
  cols: number;
  rows: number;
  chars: number;
}

export type ControlToClient =
  | { type: 'hello'; session: string; tab: string; pod?: string; resumed: boolean; offset: number; screen?: ScreenRestore }
  | { type: 'pong'; t: number }
  | { type: 'exit'; code: number | null; signal?: number }
  | { type: 'notice'; message: string }
  | { type: 'event'; name: string; data?: unknown };

export class ProtocolError extends Error {}

const MAX_COLS = 1000;
const MAX_ROWS = 500;

function positiveInt(v: unknown, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new ProtocolError(`${what} must be an integer from 1 to ${max}`);
  }
  return v;
}

/** Parses and checks a control message from the browser; throws ProtocolError saying what is wrong. */
export function parseControlToServer(text: string): ControlToServer {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new ProtocolError('malformed JSON in a control message');
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new ProtocolError('a control message must be a JSON object');
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'resize':
      return { type: 'resize', cols: positiveInt(m.cols, MAX_COLS, 'cols'), rows: positiveInt(m.rows, MAX_ROWS, 'rows') };
    case 'ack':
      return { type: 'ack', chars: positiveInt(m.chars, FLOW.HIGH_WATERMARK * 10, 'chars') };
    case 'ping':
      if (typeof m.t !== 'number' || !Number.isFinite(m.t)) throw new ProtocolError('ping needs a numeric t');
      return { type: 'ping', t: m.t };
    default:
      throw new ProtocolError(`unknown control message type ${JSON.stringify(m.type ?? null).slice(0, 40)}`);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeData(kind: typeof FRAME.OUTPUT | typeof FRAME.REPLAY, offset: number, text: string): Uint8Array {
  const body = encoder.encode(text);
  const frame = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, Math.floor(offset / 2 ** 32));
  view.setUint32(5, offset >>> 0);
  frame.set(body, HEADER_BYTES);
  return frame;
}

export interface DataFrame {
  kind: typeof FRAME.OUTPUT | typeof FRAME.REPLAY;
  offset: number;
  text: string;
}

export function decodeData(frame: Uint8Array): DataFrame {
  if (frame.length < HEADER_BYTES) throw new ProtocolError('data frame too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const kind = view.getUint8(0);
  if (kind !== FRAME.OUTPUT && kind !== FRAME.REPLAY) throw new ProtocolError(`unknown data frame kind ${kind}`);
  const offset = view.getUint32(1) * 2 ** 32 + view.getUint32(5);
  return { kind, offset, text: decoder.decode(frame.subarray(HEADER_BYTES)) };
}

export function encodeInput(text: string): Uint8Array {
  const body = encoder.encode(text);
  const frame = new Uint8Array(1 + body.length);
  frame[0] = FRAME.INPUT;
  frame.set(body, 1);
  return frame;
}

export function decodeInput(frame: Uint8Array): string {
  if (frame.length < 1 || frame[0] !== FRAME.INPUT) throw new ProtocolError('a binary frame from the browser must be input');
  return decoder.decode(frame.subarray(1));
}

/** Splits a paste into pieces that fit in a frame. */
export function chunkInput(text: string, size = INPUT_CHUNK_CHARS): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    let end = Math.min(text.length, i + size);
    // Never split a surrogate pair.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    out.push(text.slice(i, end));
    i = end - size;
  }
  return out;
}
