// The custom server: Next.js for pages and API routes, plus the WebSocket endpoints the app owns (lib/server).
// Upgrades under /_next/ go to Next's own handler (hot reload in development); any other path gets 404.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import { loadConfig, type Config } from './lib/config';
import { isAppError } from './lib/errors';
import { randomBytes } from 'node:crypto';
import { createLogger, requestContext } from './lib/log';
import { ADMIN_FEED_PATH, ADMIN_TERMINAL_PATH } from './lib/class/feed-messages';
import { LAB_EVENTS_PATH } from './lib/lab-events/events';
import { createAdminFeedEndpoint } from './lib/server/admin-feed-endpoint';
import { createTerminalWatchEndpoint } from './lib/server/terminal-watch-endpoint';
import { createLabEventsEndpoint } from './lib/server/lab-events-endpoint';
import { InstanceLockError, lockDataDir } from './lib/server/instance-lock';
import { METRICS_PATH, serveMetrics } from './lib/server/metrics-endpoint';
import { hostAllowed, originPolicy } from './lib/server/origin';
import { RateLimiter } from './lib/server/rate-limiter';
import { gateRequest, secureCookiesFor } from './lib/server/request-gate';
import { createServices, setServices } from './lib/server/services';
import { createTerminalEndpoint } from './lib/server/terminal-endpoint';
import { TERMINAL_PATH } from './lib/terminal/protocol';

export type UpgradeRoute = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Exit status after an uncaught exception (sysexits' EX_SOFTWARE): scripts/start.sh starts the server again. */
export const EXIT_BUG = 70;

export async function startServer(config: Config = loadConfig()) {
  const log = createLogger('ebpf-labs', undefined, config.logFormat);
  const releaseDataDir = lockDataDir(config.dataDir, log.child('lock'));
  const services = createServices(config, log);
  setServices(services);
  // Probe the engine and reconcile sandboxes now rather than on the first visit; a missing engine is not fatal, a
  // second server of this instance on the engine is.
  await services.engine.get().catch((err) => {
    if (err instanceof InstanceLockError) {
      services.close();
      releaseDataDir();
      throw err;
    }
  });
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
  const adminFeed = createAdminFeedEndpoint({
    access: { secret: services.secret, adminToken: config.adminToken },
    feed: services.feed,
    origins: () => services.originPolicy,
    log: log.child('admin-feed'),
  });
  const terminalWatch = createTerminalWatchEndpoint(services, log.child('terminal-watch'));
  const routes = new Map<string, UpgradeRoute>([
    [TERMINAL_PATH, terminalEndpoint.upgrade],
    [LAB_EVENTS_PATH, labEvents.upgrade],
    [ADMIN_FEED_PATH, adminFeed.upgrade],
    [ADMIN_TERMINAL_PATH, terminalWatch.upgrade],
  ]);
  const gate = {
    secret: services.secret,
    policy: () => services.originPolicy,
    trustProxy: config.trustProxy,
    secureCookies: (req: http.IncomingMessage) => secureCookiesFor(config, req.headers['x-forwarded-proto']),
    newLearners: new RateLimiter(config.limits.newLearnersPerMinute, 60_000),
    log: log.child('gate'),
  };
  const server = http.createServer((req, res) => {
    // Every line logged while handling this request carries its id; the response says it too, for bug reports.
    const requestId = randomBytes(8).toString('hex');
    res.setHeader('x-request-id', requestId);
    requestContext.run({ requestId }, () => {
      if (!gateRequest(req, res, gate)) return;
      if (req.url?.split('?')[0] === METRICS_PATH) {
        serveMetrics(req, res, { metrics: services.metrics, secret: services.secret, adminToken: config.adminToken, trustProxy: config.trustProxy }).catch((err) => {
          log.error('metrics failed', err);
          if (!res.headersSent) res.writeHead(500).end('Internal error');
        });
        return;
      }
      handle(req, res).catch((err) => {
        log.error('request failed', err);
        if (!res.headersSent) res.writeHead(500).end('Internal error');
      });
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hostAllowed(services.originPolicy, req.headers.host)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nThis server does not answer for that host.\n');
      return;
    }
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
  services.originPolicy = originPolicy(config, port);
  log.info(`eBPF Labs at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (${config.env}, pid ${process.pid})`);

  const close = async () => {
    terminalEndpoint.close();
    labEvents.close();
    adminFeed.close();
    terminalWatch.close();
    server.close();
    server.closeAllConnections();
    await app.close?.();
    services.close();
    releaseDataDir();
  };
  return { server, port, services, routes, close };
}

// Run directly (npm start / npm run dev), not when imported by tests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  // Next logs an uncaught exception and carries on, in a process whose state is then unknown. Here it is a bug: it
  // is logged as one and the process exits, for scripts/start.sh (or the service manager) to start it again; the
  // shells live on in the sandboxes, so learners lose nothing but a reconnect.
  process.on('uncaughtException', (err) => {
    console.error(`${new Date().toISOString()} error [ebpf-labs] uncaught exception (a bug: please report it with this log)`, err);
    process.exit(EXIT_BUG);
  });
  process.on('unhandledRejection', (err) => {
    console.error(`${new Date().toISOString()} error [ebpf-labs] unhandled rejection (a bug: please report it with this log)`, err);
  });
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
      if (err instanceof Error && err.name === 'ConfigError') console.error(err.message);
      else if (isAppError(err)) console.error(`${err.message}\n${err.hint ?? ''}`);
      else console.error(err);
      process.exit(1);
    });
}
