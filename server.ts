// The custom server: Next.js for pages and API routes, plus the WebSocket endpoints the app owns.
// Upgrades on paths the app does not own go to Next's own handler, so hot reload keeps working in development.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import { loadConfig, type Config } from './lib/config';
import { createLogger } from './lib/log';
import { createServices, setServices, type Services } from './lib/services';
import { LEARNER_COOKIE, learnerCookie, learnerFromCookieHeader, newLearnerId } from './lib/session';
import { createTerminalEndpoint, TERMINAL_PATH } from './lib/terminal/ws-endpoint';
import { createLabEventsEndpoint, LAB_EVENTS_PATH } from './lib/checks/events-endpoint';

export type UpgradeRoute = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Every request carries a learner cookie; a new visitor gets one before Next renders anything. */
function ensureLearner(services: Services, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (learnerFromCookieHeader(services.secret, req.headers.cookie)) return;
  const id = newLearnerId();
  const secure = req.headers['x-forwarded-proto'] === 'https' || !!services.config.publicOrigin?.startsWith('https:');
  const cookie = learnerCookie(services.secret, id, secure);
  res.setHeader('Set-Cookie', cookie);
  // Let this very request see the cookie too (pages read it through next/headers).
  const value = cookie.split(';')[0]!;
  const others = (req.headers.cookie ?? '')
    .split(';')
    .filter((c) => c.trim() && !c.trim().startsWith(`${LEARNER_COOKIE}=`));
  req.headers.cookie = [...others, value].join('; ');
}

export async function startServer(config: Config = loadConfig()) {
  const log = createLogger();
  const services = createServices(config, log);
  setServices(services);
  // Probe the engine and reconcile sandboxes now rather than on the first visit; a missing engine is not fatal.
  await services.engine.get().catch(() => undefined);
  await services.labs.load().then(({ labs, problems }) => {
    log.info(`${labs.length} lab(s) loaded`);
    for (const p of problems) log.warn(`lab problem: labs/${p.slug}/${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  });

  // Next attaches its own upgrade listener to the server it is given on the first request. Giving it this relay
  // instead of the real server keeps the app's WebSocket paths away from it.
  const nextUpgrades = new EventEmitter();
  const app = next({
    dev: config.env === 'development',
    dir: process.cwd(),
    hostname: config.host,
    port: config.port,
    httpServer: nextUpgrades as unknown as http.Server,
  });
  await app.prepare();
  const handle = app.getRequestHandler();

  const terminalEndpoint = createTerminalEndpoint(services, services.terminals, log.child('terminal'));
  const labEvents = createLabEventsEndpoint(services, services.checks, log.child('checks'));
  const routes = new Map<string, UpgradeRoute>([
    [TERMINAL_PATH, terminalEndpoint.upgrade],
    [LAB_EVENTS_PATH, labEvents.upgrade],
  ]);
  const server = http.createServer((req, res) => {
    ensureLearner(services, req, res);
    handle(req, res).catch((err) => {
      log.error('request failed', err);
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.get(pathname);
    if (route) return route(req, socket, head);
    // Next's own sockets (hot reload in development) live under /_next/.
    if (pathname.startsWith('/_next/') && nextUpgrades.listenerCount('upgrade') > 0) {
      return nextUpgrades.emit('upgrade', req, socket, head);
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info(`eBPF Labs at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (${config.env}, pid ${process.pid})`);

  const close = async () => {
    terminalEndpoint.close();
    labEvents.close();
    services.checks.close();
    services.terminals.closeAll();
    services.datapath.closeAll();
    server.close();
    server.closeAllConnections();
    await app.close?.();
    services.db.close();
  };
  return { server, port, services, routes, close };
}

// Run directly (npm start / npm run dev), not when imported by tests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  startServer()
    .then(({ close, services }) => {
      const stop = (signal: string) => {
        services.log.info(`${signal}: shutting down`);
        close().finally(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((err) => {
      console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
      process.exit(1);
    });
}
