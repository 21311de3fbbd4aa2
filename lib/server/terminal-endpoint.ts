// The terminal WebSocket endpoint (TERMINAL_PATH in the terminal protocol).
// Accepted only from the app's own origin (cross-site WebSocket hijacking is refused before the upgrade) and only for
// the learner whose signed cookie owns the sandbox. Anything malformed closes the socket with a code and a reason
// the page shows; nothing a browser sends can crash the server.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../log';
import type { Lab, TerminalSpec } from '../labs/schema';
import type { TerminalManager } from '../terminal/manager';
import {
  CLOSE,
  MAX_FRAME_BYTES,
  ProtocolError,
  decodeInput,
  parseControlToServer,
  type ControlToClient,
} from '../terminal/protocol';
import type { Observer, TerminalSession } from '../terminal/session';
import { socketLearner } from './learner-cookie';
import type { Services } from './services';
import { createSocketServer } from './ws-server';

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** A browser's socket as a terminal session sees it: a learner's terminal, or the instructor's read-only view. */
export class WsPeer implements Observer {
  constructor(private readonly ws: WebSocket) {}
  bufferedBytes() {
    return this.ws.bufferedAmount;
  }
  sendBinary(frame: Uint8Array) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
  }
  sendControl(msg: ControlToClient) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }
  close(code: number, reason: string) {
    // A close reason is limited to 123 bytes by the protocol.
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
  }
}

/** The lab and terminal tab a socket's URL names (?lab=&tab=); otherwise the socket is closed saying which is unknown. */
export async function labTerminal(services: Services, url: URL, ws: WebSocket): Promise<{ lab: Lab; tab: TerminalSpec } | undefined> {
  const lab = await services.labs.get(url.searchParams.get('lab') ?? '');
  if (!lab) return void ws.close(CLOSE.NOT_FOUND, 'There is no such lab.');
  const tab = lab.meta.terminals.find((t) => t.name === url.searchParams.get('tab'));
  if (!tab) return void ws.close(CLOSE.NOT_FOUND, `This lab has no terminal "${url.searchParams.get('tab')}".`);
  return { lab, tab };
}

/** How long a browser waits for a kept shell's output to come in before it is attached anyway. */
const HISTORY_WAIT_MS = 5_000;

export function createTerminalEndpoint(services: Services, terminals: TerminalManager, log: Logger) {
  const server = createSocketServer({
    name: 'terminal',
    maxPayload: MAX_FRAME_BYTES,
    origins: () => services.originPolicy,
    log,
    count: services.metrics.socketCounter('terminal'),
  });

  /** Finds the learner's sandbox and tab, and attaches the socket to its session; or closes it saying why. */
  async function connect(ws: WebSocket, req: IncomingMessage): Promise<{ session: TerminalSession; peer: WsPeer } | undefined> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const who = socketLearner(services.secret, req.headers.cookie);
    if ('reason' in who) return void ws.close(CLOSE.NOT_AUTHENTICATED, who.reason);
    const { learner } = who;
    const found = await labTerminal(services, url, ws);
    if (!found) return undefined;
    const { lab, tab } = found;
    const sandboxes = await services.sandboxes();
    const sandbox = await sandboxes.find(learner, lab.slug);
    if (!sandbox) return void ws.close(CLOSE.NOT_FOUND, 'No sandbox runs for this lab: start it first.');
    if (ws.readyState !== ws.OPEN) return undefined; // the browser left while we looked

    const int = (name: string, min: number, max: number, fallback: number) => {
      const v = Number(url.searchParams.get(name));
      return Number.isInteger(v) && v >= min && v <= max ? v : fallback;
    };
    const cols = int('cols', 2, 1000, 80);
    const rows = int('rows', 2, 500, 24);
    const session = terminals.open(sandbox.id, tab, {
      fresh: url.searchParams.get('fresh') === '1',
      cols,
      rows,
      tabs: lab.meta.terminals.map((t) => t.name),
    });
    // A shell the sandbox kept over a server restart comes with its output: the browser gets all of it at once.
    await session.whenReady(HISTORY_WAIT_MS);
    if (ws.readyState !== ws.OPEN) return undefined;
    const peer = new WsPeer(ws);
    // Resume only the session the browser was attached to; otherwise it gets a fresh screen, at its size.
    const resume = int('resume', 0, Number.MAX_SAFE_INTEGER, -1);
    const sameSession = url.searchParams.get('session') === session.id;
    session.attach(peer, {
      resumeFrom: sameSession && resume >= 0 ? resume : undefined,
      screen: url.searchParams.get('screen') === '1',
      cols,
      rows,
    });
    return { session, peer };
  }

  function handle(session: TerminalSession, peer: WsPeer, data: RawData, isBinary: boolean) {
    try {
      const buf = toBuffer(data);
      if (isBinary) return session.input(decodeInput(buf));
      const msg = parseControlToServer(buf.toString('utf8'));
      if (msg.type === 'resize') session.resize(msg.cols, msg.rows);
      else if (msg.type === 'ack') session.ack(msg.chars, peer);
      else peer.sendControl({ type: 'pong', t: msg.t });
    } catch (err) {
      if (!(err instanceof ProtocolError)) log.error('terminal message failed', err);
      const reason = err instanceof ProtocolError ? err.message : 'The server could not handle a message.';
      peer.close(err instanceof ProtocolError ? CLOSE.PROTOCOL : CLOSE.SERVER_ERROR, reason);
    }
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    server.accept(req, socket, head, (ws) => {
      // Messages may arrive before the session is found (the browser sends its size at once): keep them.
      let queue: [RawData, boolean][] | undefined = [];
      let attached: { session: TerminalSession; peer: WsPeer } | undefined;
      ws.on('message', (data, isBinary) => {
        if (queue) queue.push([data, isBinary]);
        else if (attached) handle(attached.session, attached.peer, data, isBinary);
      });
      ws.on('close', () => attached?.session.detach(attached.peer));
      connect(ws, req)
        .then((result) => {
          const pending = queue ?? [];
          queue = undefined;
          if (!result) return;
          attached = result;
          if (ws.readyState !== ws.OPEN) return result.session.detach(result.peer);
          for (const [data, isBinary] of pending) handle(result.session, result.peer, data, isBinary);
        })
        .catch((err) => {
          queue = undefined;
          if ((err as { code?: string }).code === 'docker_unavailable') {
            ws.close(CLOSE.SERVER_ERROR, 'The sandbox engine is not available.');
          } else {
            log.error('terminal connection failed', err);
            if (ws.readyState === ws.OPEN) ws.close(CLOSE.SERVER_ERROR, 'The server could not open this terminal.');
          }
        });
    });
  }

  return {
    upgrade,
    close: () => server.close(CLOSE.RESTARTING, 'The server is restarting.'),
  };
}
