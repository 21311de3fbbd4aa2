// What every WebSocket endpoint of the app shares: refusing other origins before the upgrade (cross-site WebSocket
// hijacking), TCP_NODELAY, a size cap, heartbeats that drop dead connections, and errors that never crash the server.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../log';
import { isSameOrigin } from './origin';

/** Dead connections (no pong) are dropped after this long. */
const HEARTBEAT_MS = 30_000;

export interface SocketServer {
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, onSocket: (ws: WebSocket) => void): void;
  /** Closes every socket with `code` and `reason`, then the server. */
  close(code: number, reason: string): void;
}

export function createSocketServer(opts: { name: string; maxPayload: number; publicOrigin?: string; log: Logger }): SocketServer {
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
      if (!isSameOrigin(req.headers.origin, req.headers.host, opts.publicOrigin)) {
        opts.log.warn(`refused a cross-origin ${opts.name} upgrade`, { origin: req.headers.origin });
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nForbidden: cross-origin WebSocket\n');
        return;
      }
      (socket as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true); // small frames must not wait for Nagle
      wss.handleUpgrade(req, socket, head, (ws) => {
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
