// The pieces of a `docker exec` the driver reads and kills: the engine's multiplexed output, and the marker that lets
// lab-kill find every process of one exec inside the sandbox.
import { randomBytes } from 'node:crypto';

/** Environment variable every exec carries; its value is the exec's token (lab-kill TOKEN finds the processes). */
export const RUN_MARKER = 'EBPF_LABS_RUN';
/** The script in the image that SIGKILLs the processes of one exec (sandbox/rootfs/opt/ebpf-labs/bin/lab-kill). */
export const LAB_KILL = '/opt/ebpf-labs/bin/lab-kill';

/** 18 hex digits: unguessable enough that no other exec's processes match, short enough for /proc scans. */
export function newRunToken(): string {
  return randomBytes(9).toString('hex');
}

/** The exec's environment: the caller's variables, then the marker (last, so a caller cannot replace it). */
export function execEnv(token: string, env: Record<string, string> = {}): string[] {
  return [...Object.entries(env).filter(([k]) => k !== RUN_MARKER).map(([k, v]) => `${k}=${v}`), `${RUN_MARKER}=${token}`];
}

export type OutputStream = 'stdout' | 'stderr';

/**
 * Reads the engine's attach stream without a TTY: frames of an 8-byte header (stream type, three zero bytes, payload
 * size as a big-endian u32) and the payload. Payload is passed on piece by piece as it arrives, so nothing but a
 * partial header is ever held here, whatever size a frame claims.
 */
export function demuxOutput(stream: NodeJS.ReadableStream, onData: (which: OutputStream, chunk: Buffer) => void): void {
  let header = Buffer.alloc(0);
  let left = 0;
  let which: OutputStream = 'stdout';
  stream.on('data', (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      if (left === 0) {
        const take = Math.min(8 - header.length, chunk.length - at);
        header = Buffer.concat([header, chunk.subarray(at, at + take)]);
        at += take;
        if (header.length < 8) return;
        which = header[0] === 2 ? 'stderr' : 'stdout';
        left = header.readUInt32BE(4);
        header = Buffer.alloc(0);
        continue;
      }
      const piece = chunk.subarray(at, at + left);
      at += piece.length;
      left -= piece.length;
      onData(which, piece);
    }
  });
}
