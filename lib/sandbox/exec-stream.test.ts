import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demuxOutput, execEnv, newRunToken, RUN_MARKER, type OutputStream } from './exec-stream';

const frame = (type: number, payload: string) => {
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(Buffer.byteLength(payload), 4);
  return Buffer.concat([header, Buffer.from(payload)]);
};

describe('demuxOutput', () => {
  it("splits the engine's frames into stdout and stderr, whatever the chunking", () => {
    const bytes = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world'), frame(1, '')]);
    for (const size of [1, 3, 7, bytes.length]) {
      const stream = new PassThrough();
      const got: Record<OutputStream, string> = { stdout: '', stderr: '' };
      demuxOutput(stream, (which, chunk) => (got[which] += chunk.toString()));
      for (let i = 0; i < bytes.length; i += size) stream.write(bytes.subarray(i, i + size));
      expect(got, `chunks of ${size}`).toEqual({ stdout: 'hello world', stderr: 'oops' });
    }
  });
  it('passes a large frame on as it arrives, without waiting for all of it', () => {
    const stream = new PassThrough();
    const pieces: number[] = [];
    demuxOutput(stream, (_which, chunk) => pieces.push(chunk.length));
    const header = Buffer.alloc(8);
    header[0] = 1;
    header.writeUInt32BE(4 * 1024 * 1024 * 1024 - 1, 4); // a frame that claims 4 GiB
    stream.write(Buffer.concat([header, Buffer.alloc(1000)]));
    stream.write(Buffer.alloc(1000));
    expect(pieces).toEqual([1000, 1000]);
  });
});

describe('the run marker', () => {
  it('is a fresh hex token per exec, set last in the environment so a caller cannot replace it', () => {
    const t = newRunToken();
    expect(t).toMatch(/^[0-9a-f]{18}$/);
    expect(newRunToken()).not.toBe(t);
    expect(execEnv(t, { A: '1', [RUN_MARKER]: 'mine' })).toEqual(['A=1', `${RUN_MARKER}=${t}`]);
  });
});
