// What every WebSocket endpoint of the app shares: refusing other origins before the upgrade (cross-site WebSocket
// hijacking), TCP_NODELAY, a size cap that says why it closed, heartbeats that drop dead connections, and errors
// that never crash the server.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../log';
import { originAllowed, type OriginPolicy } from './origin';

/** Dead connections (no pong) are dropped after this long. */
const HEARTBEAT_MS = 30_000;

export interface SocketServer {
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, onSocket: (ws: WebSocket) => void): void;
  /** Closes every socket with `code` and `reason`, then the server. */
  close(code: number, reason: string): void;
}

/** RFC 6455's "message too big" close code; ws closes with it, without a reason, when a frame is over maxPayload. */
const MESSAGE_TOO_BIG = 1009;

export interface SocketServerOptions {
  name: string;
  maxPayload: number;
  origins: () => OriginPolicy;
  log: Logger;
  /** Each message in or out and its payload bytes, for the server's metrics. */
  count?: (direction: 'in' | 'out', bytes: number) => void;
}

const payloadBytes = (data: unknown): number =>
  typeof data === 'string' ? Buffer.byteLength(data) : Array.isArray(data) ? data.reduce((n: number, b: Buffer) => n + b.length, 0) : ((data as { byteLength?: number })?.byteLength ?? 0);

export function createSocketServer(opts: SocketServerOptions): SocketServer {
  const tooBig = `A message was larger than ${Math.round(opts.maxPayload / 1024)} KiB: the server accepts no more.`;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    accept(req, socket, head, onSocket) {
      if (!originAllowed(opts.origins(), req.headers.origin)) {
        opts.log.warn(`refused a cross-origin ${opts.name} upgrade`, { origin: req.headers.origin });
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nForbidden: cross-origin WebSocket\n');
        return;
      }
      (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true); // small frames must not wait for Nagle
      wss.handleUpgrade(req, socket, head, (ws) => {
        // ws closes an oversized frame's socket by itself with 1009 and no reason; give the page one to show.
        const close = ws.close.bind(ws);
        ws.close = (code?: number, reason?: string | Buffer) => close(code, code === MESSAGE_TOO_BIG && !reason ? tooBig : reason);
        if (opts.count) {
          const count = opts.count;
          const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
          (ws as unknown as { send: typeof send }).send = (data, ...rest) => {
            count('out', payloadBytes(data));
            send(data, ...rest);
          };
          ws.on('message', (data) => count('in', payloadBytes(data)));
        }
        alive.add(ws);
        ws.on('pong', () => alive.add(ws));
        ws.on('error', (err) => opts.log.warn(`${opts.name} socket error`, err.message));
        onSocket(ws);
      });
    },
    close(code, reason) {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(code, reason);
      wss.close();
    },
  };
}
