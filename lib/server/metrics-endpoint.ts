// GET /metrics for Prometheus: with ADMIN_TOKEN set, only with that token (Authorization: Bearer, as Prometheus'
// authorization setting sends it); without one, only from the machine itself (a scraper on loopback).
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { AppMetrics } from './metrics';
import { clientAddress } from './request-gate';

export const METRICS_PATH = '/metrics';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerOf(req: http.IncomingMessage): string | undefined {
  return /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
}

export async function serveMetrics(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: { metrics: AppMetrics; adminToken?: string; trustProxy: boolean },
): Promise<void> {
  const allowed = deps.adminToken ? tokenMatches(bearerOf(req), deps.adminToken) : LOOPBACK.test(clientAddress(req, deps.trustProxy));
  if (!allowed) {
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
    res.end(deps.adminToken ? 'Send the instructor token: Authorization: Bearer <ADMIN_TOKEN>.\n' : 'Metrics are served to this machine only (or set ADMIN_TOKEN and send it).\n');
    return;
  }
  res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' });
  res.end(await deps.metrics.text());
}
