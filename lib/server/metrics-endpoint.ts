// GET /metrics for Prometheus: with ADMIN_TOKEN set, only for the instructor (the token as Authorization: Bearer, as
// Prometheus' authorization setting sends it, or the /admin session); without one, only from the machine itself.
import type http from 'node:http';
import { isAdminRequest } from './admin-auth';
import type { AppMetrics } from './metrics';
import { clientAddress } from './request-gate';

export const METRICS_PATH = '/metrics';

const LOOPBACK = /^(127\.|::1$|localhost$)/;

export async function serveMetrics(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: { metrics: AppMetrics; secret: string; adminToken?: string; trustProxy: boolean },
): Promise<void> {
  const allowed = deps.adminToken ? isAdminRequest(deps, req) : LOOPBACK.test(clientAddress(req, deps.trustProxy));
  if (!allowed) {
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
    res.end(deps.adminToken ? 'Send the instructor token: Authorization: Bearer <ADMIN_TOKEN>.\n' : 'Metrics are served to this machine only (or set ADMIN_TOKEN and send it).\n');
    return;
  }
  res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' });
  res.end(await deps.metrics.text());
}
