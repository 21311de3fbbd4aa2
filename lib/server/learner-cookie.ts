// Anonymous learners: a random id in an HttpOnly cookie, signed with the server's secret (HMAC-SHA256).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';

export const LEARNER_COOKIE = 'ebpf_labs_learner';
const ONE_YEAR_S = 365 * 24 * 3600;
const ID_PATTERN = /^[a-f0-9]{24}$/;

export function newLearnerId(): string {
  return randomBytes(12).toString('hex');
}

function mac(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id).digest('base64url');
}

/** Compares two signatures without leaking where they differ. */
export function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A Set-Cookie value for one of the app's cookies: HttpOnly on the whole site, Secure where it is served over https. */
export function setCookie(name: string, value: string, opts: { sameSite: 'Lax' | 'Strict'; maxAgeS: number; secure: boolean }): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${opts.sameSite}`, `Max-Age=${opts.maxAgeS}`, ...(opts.secure ? ['Secure'] : [])].join('; ');
}

export function signLearner(secret: string, id: string): string {
  return `${id}.${mac(secret, id)}`;
}

/** The learner id if the cookie value is well formed and signed by us; undefined otherwise. */
export function verifyLearner(secret: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.indexOf('.');
  const id = value.slice(0, dot);
  if (dot < 0 || !ID_PATTERN.test(id)) return undefined;
  return sameSignature(value.slice(dot + 1), mac(secret, id)) ? id : undefined;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (!key || key in out) continue;
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[key] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

export function learnerFromCookieHeader(secret: string, header: string | undefined): string | undefined {
  return verifyLearner(secret, parseCookies(header)[LEARNER_COOKIE]);
}

/** What a request's cookie says: a learner, no cookie yet (a new visitor), or one we did not sign. */
export type CookieState = { kind: 'valid'; learner: string } | { kind: 'missing' } | { kind: 'invalid' };

export function cookieState(secret: string, header: string | undefined): CookieState {
  const value = parseCookies(header)[LEARNER_COOKIE];
  if (value === undefined) return { kind: 'missing' };
  const learner = verifyLearner(secret, value);
  return learner ? { kind: 'valid', learner } : { kind: 'invalid' };
}

/** A WebSocket's learner, or the close reason (at most 123 bytes) the page shows when its cookie is not valid. */
export function socketLearner(secret: string, header: string | undefined): { learner: string } | { reason: string } {
  const state = cookieState(secret, header);
  if (state.kind === 'valid') return { learner: state.learner };
  return {
    reason:
      state.kind === 'missing'
        ? 'Your session cookie is missing: reload the page.'
        : 'Your session cookie is not valid (signed with another secret, or changed): reload the page.',
  };
}

/** What the learner reads when the cookie is not a valid one, on every route and socket alike. */
export const COOKIE_PROBLEM = {
  missing: { code: 'no_session', message: 'Your session cookie is missing.', hint: 'Reload the page: the server gives every visitor a session.' },
  invalid: {
    code: 'invalid_session',
    message: 'Your session cookie is not valid: it was signed with another secret (the server was reinstalled?) or it was changed.',
    hint: 'Start a new session from the page the app shows you (progress under the old cookie cannot be recovered).',
  },
} as const;

export function learnerCookie(secret: string, id: string, secure: boolean): string {
  return setCookie(LEARNER_COOKIE, signLearner(secret, id), { sameSite: 'Lax', maxAgeS: ONE_YEAR_S, secure });
}

/** The configured secret, or one generated once and kept in the data directory (mode 0600). */
export function loadOrCreateSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'session-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(file, 'utf8').trim(); // another process created it first
    }
  }
}

/**
 * Gives this request a new learner: the response sets the cookie, and the request itself is rewritten to carry it
 * (pages read it through next/headers in the same request).
 */
export function issueLearnerCookie(secret: string, req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): string {
  const id = newLearnerId();
  const cookie = learnerCookie(secret, id, secure);
  res.setHeader('Set-Cookie', cookie);
  const value = cookie.split(';')[0]!;
  const others = (req.headers.cookie ?? '')
    .split(';')
    .filter((c) => c.trim() && !c.trim().startsWith(`${LEARNER_COOKIE}=`));
  req.headers.cookie = [...others, value].join('; ');
  return id;
}
