import { describe, expect, it } from 'vitest';
import {
  CLOSE,
  FLOW,
  FRAME,
  ProtocolError,
  chunkInput,
  decodeData,
  decodeInput,
  encodeData,
  encodeInput,
  parseControlToServer,
  shouldReconnect,
} from './protocol';

describe('flow-control constants', () => {
  it('keep the ack size at or below the low watermark (or a paused terminal never resumes)', () => {
    expect(FLOW.ACK_SIZE).toBeLessThanOrEqual(FLOW.LOW_WATERMARK);
    expect(FLOW.LOW_WATERMARK).toBeLessThan(FLOW.HIGH_WATERMARK);
  });
});

describe('data frames', () => {
  it('round-trip kind, offset (beyond 32 bits) and UTF-8 text', () => {
    const f = decodeData(encodeData(FRAME.OUTPUT, 2 ** 40 + 7, 'héllo ✓ 🐝'));
    expect(f).toEqual({ kind: FRAME.OUTPUT, offset: 2 ** 40 + 7, text: 'héllo ✓ 🐝' });
    expect(decodeData(encodeData(FRAME.REPLAY, 0, '')).kind).toBe(FRAME.REPLAY);
  });
  it('refuse short frames and unknown kinds', () => {
    expect(() => decodeData(new Uint8Array([1, 0]))).toThrow(ProtocolError);
    expect(() => decodeData(new Uint8Array(9).fill(9))).toThrow(/unknown data frame kind/);
  });
  it('carry input only in INPUT frames', () => {
    expect(decodeInput(encodeInput('ls\r'))).toBe('ls\r');
    expect(() => decodeInput(encodeData(FRAME.OUTPUT, 0, 'x'))).toThrow(/must be input/);
    expect(() => decodeInput(new Uint8Array())).toThrow(ProtocolError);
  });
});

describe('control messages from the browser', () => {
  it('accept resize, ack and ping', () => {
    expect(parseControlToServer('{"type":"resize","cols":120,"rows":40}')).toEqual({ type: 'resize', cols: 120, rows: 40 });
    expect(parseControlToServer('{"type":"ack","chars":5000}')).toEqual({ type: 'ack', chars: 5000 });
    expect(parseControlToServer('{"type":"ping","t":12.5}')).toEqual({ type: 'ping', t: 12.5 });
  });
  it.each([
    ['{not json', /malformed JSON/],
    ['[1,2]', /JSON object/],
    ['null', /JSON object/],
    ['{"type":"exec","cmd":"rm -rf /"}', /unknown control message type "exec"/],
    ['{}', /unknown control message type null/],
    ['{"type":"resize","cols":0,"rows":10}', /cols must be/],
    ['{"type":"resize","cols":80.5,"rows":10}', /cols must be/],
    ['{"type":"resize","cols":80,"rows":100000}', /rows must be/],
    ['{"type":"ack","chars":-5}', /chars must be/],
    ['{"type":"ping","t":"now"}', /numeric t/],
  ])('refuse %s', (text, message) => {
    expect(() => parseControlToServer(text)).toThrow(message);
  });
});

describe('chunkInput', () => {
  it('splits long pastes without breaking surrogate pairs', () => {
    const text = 'a'.repeat(5) + '🐝' + 'b'.repeat(5);
    const pieces = chunkInput(text, 6);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(6);
    expect(pieces.some((p) => p.includes('🐝'))).toBe(true);
  });
  it('keeps short input whole', () => {
    expect(chunkInput('ls\r')).toEqual(['ls\r']);
    expect(chunkInput('')).toEqual([]);
  });
});

it('reconnects by itself only after transient closes', () => {
  for (const code of [CLOSE.GOING_AWAY, CLOSE.RESTARTING, CLOSE.ABNORMAL, CLOSE.INTERNAL_ERROR, CLOSE.SERVICE_RESTART, CLOSE.TRY_AGAIN_LATER]) {
    expect(shouldReconnect(code)).toBe(true);
  }
  expect(shouldReconnect(CLOSE.NORMAL)).toBe(false);
  expect(shouldReconnect(CLOSE.TOO_BIG)).toBe(false);
  expect(shouldReconnect(CLOSE.REPLACED)).toBe(false);
  expect(shouldReconnect(CLOSE.ENDED)).toBe(false);
  expect(shouldReconnect(CLOSE.PROTOCOL)).toBe(false);
  expect(shouldReconnect(CLOSE.NOT_AUTHENTICATED)).toBe(false);
});
