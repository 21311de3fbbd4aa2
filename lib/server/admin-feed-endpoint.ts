// The instructor view's live feed (ADMIN_FEED_PATH): the recent items, then each new one as it happens. Only for the
// instructor's session (or token); own origin only, like every socket of the app.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClassFeed } from '../class/feed';
import type { AdminFeedMessage } from '../class/feed-messages';
import type { Logger } from '../log';
import { CLOSE } from '../terminal/protocol';
import { isAdminRequest, type AdminAccess } from './admin-auth';
import type { OriginPolicy } from './origin';
import { createSocketServer } from './ws-server';

/** The view sends nothing of its own: anything but a tiny frame is not from it. */
const MAX_MESSAGE_BYTES = 256;

export function createAdminFeedEndpoint(deps: { access: AdminAccess; feed: ClassFeed; origins: () => OriginPolicy; log: Logger }) {
  const server = createSocketServer({ name: 'instructor feed', maxPayload: MAX_MESSAGE_BYTES, origins: deps.origins, log: deps.log });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    server.accept(req, socket, head, (ws) => {
      if (!deps.access.adminToken) return ws.close(CLOSE.NOT_FOUND, 'This server has no instructor view (no ADMIN_TOKEN).');
      if (!isAdminRequest(deps.access, req)) return ws.close(CLOSE.NOT_AUTHENTICATED, 'Log in on /admin again: your instructor session ended.');
      const send = (m: AdminFeedMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
      send({ type: 'history', items: deps.feed.history() });
      const stop = deps.feed.subscribe((item) => send({ type: 'item', item }));
      ws.on('close', stop);
      ws.on('message', () => undefined);
    });
  }

  return { upgrade, close: () => server.close(CLOSE.RESTARTING, 'The server is restarting.') };
}
