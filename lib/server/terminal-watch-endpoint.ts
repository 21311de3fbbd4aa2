// The instructor's read-only view of a learner's terminal (ADMIN_TERMINAL_PATH): the terminal's screen as it is, then
// its output, from the session the learner's browser uses. Only for the instructor; own origin only. It never
// reaches the shell: a frame of input closes the socket (CLOSE.FORBIDDEN), and it neither resizes the shell nor
// holds it back (a view that falls behind is dropped, see TerminalSession.observe). The learner's page says that a
// terminal is being watched while a view is open.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { isAppError } from '../errors';
import type { Logger } from '../log';
import { CLOSE, MAX_FRAME_BYTES, parseControlToServer, type ControlToClient } from '../terminal/protocol';
import { isAdminRequest } from './admin-auth';
import { labTerminal, WsPeer } from './terminal-endpoint';
import type { Services } from './services';
import { createSocketServer } from './ws-server';

const READ_ONLY = 'This view is read-only: it sends nothing to the learner\'s terminal.';

export function createTerminalWatchEndpoint(services: Services, log: Logger) {
  const access = { secret: services.secret, adminToken: services.config.adminToken };
  const server = createSocketServer({
    name: 'terminal watch',
    maxPayload: MAX_FRAME_BYTES,
    origins: () => services.originPolicy,
    log,
    count: services.metrics.socketCounter('watch'),
  });

  async function connect(ws: WebSocket, req: IncomingMessage): Promise<(() => void) | undefined> {
    if (!access.adminToken) return void ws.close(CLOSE.NOT_FOUND, 'This server has no instructor view (no ADMIN_TOKEN).');
    if (!isAdminRequest(access, req)) return void ws.close(CLOSE.NOT_AUTHENTICATED, 'Log in on /admin again: your instructor session ended.');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = await labTerminal(services, url, ws);
    if (!found) return undefined;
    const { lab, tab } = found;
    const watch = await services.instructor.watchTerminal(url.searchParams.get('learner') ?? '', lab, tab.name, 'instructor');
    const session = services.terminals.get(watch.sandboxId, tab.name);
    if (!session || session.exit || ws.readyState !== ws.OPEN) {
      watch.end();
      return void ws.close(CLOSE.NOT_FOUND, `The learner has no open shell in "${tab.name}" (not opened yet, or it ended).`);
    }
    const unobserve = session.observe(new WsPeer(ws));
    return () => {
      unobserve();
      watch.end();
    };
  }

  function onMessage(ws: WebSocket, data: RawData, isBinary: boolean) {
    if (isBinary) return ws.close(CLOSE.FORBIDDEN, READ_ONLY);
    try {
      const msg = parseControlToServer(data.toString());
      // Sizes and acks are the learner's browser's to give; a ping is answered, as on a learner's terminal.
      if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong', t: msg.t } satisfies ControlToClient));
    } catch (err) {
      ws.close(CLOSE.PROTOCOL, (err as Error).message.slice(0, 120));
    }
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    server.accept(req, socket, head, (ws) => {
      let end: (() => void) | undefined;
      let closed = false;
      ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
      ws.on('close', () => {
        closed = true;
        end?.();
      });
      connect(ws, req)
        .then((stop) => {
          if (closed) stop?.();
          else end = stop;
        })
        .catch((err: unknown) => {
          if (!isAppError(err)) log.error('terminal watch failed', err);
          if (ws.readyState !== ws.OPEN) return;
          if (isAppError(err)) ws.close(CLOSE.NOT_FOUND, err.message.slice(0, 120));
          else ws.close(CLOSE.SERVER_ERROR, 'The server could not open this view.');
        });
    });
  }

  return { upgrade, close: () => server.close(CLOSE.RESTARTING, 'The server is restarting.') };
}
