// The custom server: Next.js for pages and API routes, plus the WebSocket endpoints the app owns (lib/server).
// Upgrades under /_next/ go to Next's own handler (hot reload in development); any other path gets 404.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import { loadConfig, type Config } from './lib/config';
import { createLogger } from './lib/log';
import { LAB_EVENTS_PATH } from './lib/lab-events/events';
import { createLabEventsEndpoint } from './lib/server/lab-events-endpoint';
import { ensureLearnerCookie } from './lib/server/learner-cookie';
import { createServices, setServices } from './lib/server/services';
import { createTerminalEndpoint } from './lib/server/terminal-endpoint';
import { TERMINAL_PATH } from './lib/terminal/protocol';

export type UpgradeRoute = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

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
  const labEvents = createLabEventsEndpoint(services, log.child('lab-events'));
  const routes = new Map<string, UpgradeRoute>([
    [TERMINAL_PATH, terminalEndpoint.upgrade],
    [LAB_EVENTS_PATH, labEvents.upgrade],
  ]);
  const server = http.createServer((req, res) => {
    const secure = req.headers['x-forwarded-proto'] === 'https' || !!config.publicOrigin?.startsWith('https:');
    ensureLearnerCookie(services.secret, req, res, secure);
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
    services.events.close();
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
        close()
          .catch((err) => services.log.error('shutdown failed', err))
          .finally(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((err) => {
      console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
      process.exit(1);
    });
}
