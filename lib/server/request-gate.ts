// What every HTTP request passes before Next sees it, cheapest refusal first: a Host the server answers for (DNS
// rebinding), a path that decodes, a body under the route's cap (refused from its Content-Length, before a byte of
// it is read), and a learner cookie: a valid one, a new one for a new visitor (a few a minute per address), or a
// clear 401 for one the server did not sign. Answers are JSON on /api and a short page elsewhere.
import type http from 'node:http';
import { FILE_SIZE_LIMIT } from '../labs/workspace-paths';
import type { Logger } from '../log';
import { COOKIE_PROBLEM, cookieState, issueLearnerCookie } from './learner-cookie';
import { hostAllowed, type OriginPolicy } from './origin';
import type { RateLimiter } from './rate-limiter';

/** Cookies are marked Secure when learners reach the app over https: its public origin, or a trusted proxy says so. */
export function secureCookiesFor(config: { publicOrigin?: string; trustProxy: boolean }, forwardedProto: string | string[] | undefined): boolean {
  return !!config.publicOrigin?.startsWith('https:') || (config.trustProxy && forwardedProto === 'https');
}

/** The client's address as the server saw it, set here for route handlers (any value the client sent is dropped). */
export const CLIENT_ADDRESS_HEADER = 'x-ebpf-labs-client-address';

/** JSON bodies of the API are small: a step id, benchmark settings, a path. */
export const JSON_BODY_LIMIT = 64 * 1024;
/**
 * A file save carries a file of up to FILE_SIZE_LIMIT as a JSON string: escaping can make each byte six (\u001b),
 * plus the path and the base hash.
 */
export const FILE_SAVE_BODY_LIMIT = FILE_SIZE_LIMIT * 6 + 4096;

/** Where a new visitor starts a new session after a cookie the server did not sign (GET, then back to `next`). */
export const NEW_SESSION_PATH = '/session/new';

export interface GateDeps {
  secret: string;
  policy: () => OriginPolicy;
  /** Take the client's address from X-Forwarded-For (the server runs behind a reverse proxy). */
  trustProxy: boolean;
  /** Cookies are marked Secure (the app is served over https). */
  secureCookies: (req: http.IncomingMessage) => boolean;
  newLearners: RateLimiter;
  log: Logger;
}

interface Problem {
  code: string;
  message: string;
  hint?: string;
}

/** The largest body this method and path may carry (0: none). */
export function bodyLimit(method: string | undefined, pathname: string): number {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 0;
  if (method === 'PUT' && /^\/api\/labs\/[^/]+\/files\/content$/.test(pathname)) return FILE_SAVE_BODY_LIMIT;
  return JSON_BODY_LIMIT;
}

/** The client's address: the socket's peer, or with a trusted proxy the address that proxy appended last. */
export function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const peer = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  if (!trustProxy) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .at(-1);
  return forwarded && forwarded.length <= 64 ? forwarded.replace(/^::ffff:/, '') : peer;
}

/** Paths that need no learner: Next's assets, the editor's files, the icons, the operators' endpoints. */
function isAsset(pathname: string): boolean {
  return (
    pathname.startsWith('/_next/') ||
    pathname.startsWith('/monaco/') ||
    pathname === '/metrics' ||
    /^\/[\w.-]+\.(svg|png|ico|txt|webmanifest)$/.test(pathname)
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Answers with `problem`: JSON on /api, a short page elsewhere. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, problem: Problem, extra: { headers?: Record<string, string>; action?: { href: string; label: string } } = {}): void {
  const api = (req.url ?? '').startsWith('/api/');
  const headers = { 'cache-control': 'no-store', connection: 'close', ...extra.headers };
  if (api) {
    res.writeHead(status, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: problem }));
    return;
  }
  const action = extra.action ? `<p><a href="${escapeHtml(extra.action.href)}">${escapeHtml(extra.action.label)}</a></p>` : '';
  res.writeHead(status, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>eBPF Labs</title><h1>${escapeHtml(problem.message)}</h1>` +
      `${problem.hint ? `<p>${escapeHtml(problem.hint)}</p>` : ''}${action}`,
  );
}

/** A same-site path to go back to after a new session (never another site: no //host, no scheme). */
function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') && value.length < 500 ? value : '/';
}

/**
 * Checks one request; true when Next may handle it (the request then carries a valid learner cookie where one is
 * needed, and CLIENT_ADDRESS_HEADER), false when the gate has answered it already.
 */
export function gateRequest(req: http.IncomingMessage, res: http.ServerResponse, deps: GateDeps): boolean {
  if (!hostAllowed(deps.policy(), req.headers.host)) {
    deps.log.warn('refused a request for a host this server does not answer for', { host: String(req.headers.host ?? '').slice(0, 100) });
    refuse(req, res, 421, {
      code: 'unknown_host',
      message: 'This eBPF Labs server does not answer for the address you used.',
      hint: 'Use the address your instructor gave you. If it is right, the server needs it in PUBLIC_ORIGIN or ALLOWED_ORIGINS.',
    });
    return false;
  }

  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://gate');
    decodeURIComponent(url.pathname);
  } catch {
    refuse(req, res, 400, { code: 'bad_path', message: 'The address has a malformed %-escape.', hint: 'Check the link, or go back to the catalog.' });
    return false;
  }

  const limit = bodyLimit(req.method, url.pathname);
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] && limit > 0) {
    refuse(req, res, 411, { code: 'length_required', message: 'The request body must say its length (Content-Length).', hint: 'The app\'s pages always do; reload the page.' });
    return false;
  }
  if (declared !== undefined && Number(declared) > limit) {
    refuse(req, res, 413, {
      code: 'body_too_large',
      message: limit ? `The request body is larger than ${Math.round(limit / 1024)} KiB.` : 'This request may not carry a body.',
      hint: 'Files larger than 256 KiB cannot be saved from the editor: edit them in the terminal.',
    });
    return false;
  }

  const address = clientAddress(req, deps.trustProxy);
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  if (isAsset(url.pathname)) return true;

  const state = cookieState(deps.secret, req.headers.cookie);
  const newSession = url.pathname === NEW_SESSION_PATH;
  if (state.kind === 'valid' && !newSession) return true;
  if (state.kind === 'invalid' && !newSession) {
    refuse(req, res, 401, COOKIE_PROBLEM.invalid, {
      action: { href: `${NEW_SESSION_PATH}?next=${encodeURIComponent(url.pathname + url.search)}`, label: 'Start a new session' },
    });
    return false;
  }
  if (!deps.newLearners.take(address)) {
    refuse(req, res, 429, {
      code: 'too_many_sessions',
      message: 'Too many new sessions from your address in the last minute.',
      hint: 'Wait a minute and reload. Your browser must keep cookies for this app.',
    }, { headers: { 'retry-after': '60' } });
    return false;
  }
  issueLearnerCookie(deps.secret, req, res, deps.secureCookies(req));
  if (newSession) {
    res.writeHead(303, { location: safeNext(url.searchParams.get('next')), 'cache-control': 'no-store' });
    res.end();
    return false;
  }
  return true;
}
