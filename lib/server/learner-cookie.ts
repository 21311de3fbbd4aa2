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

export function signLearner(secret: string, id: string): string {
  return `${id}.${mac(secret, id)}`;
}

/** The learner id if the cookie value is well formed and signed by us; undefined otherwise. */
export function verifyLearner(secret: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.indexOf('.');
  const id = value.slice(0, dot);
  if (dot < 0 || !ID_PATTERN.test(id)) return undefined;
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac(secret, id));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
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

export function learnerCookie(secret: string, id: string, secure: boolean): string {
  return [
    `${LEARNER_COOKIE}=${signLearner(secret, id)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${ONE_YEAR_S}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
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
 * Every request carries a learner cookie: a new visitor gets one before Next renders anything, and the request
 * itself is rewritten to carry it too (pages read it through next/headers).
 */
export function ensureLearnerCookie(secret: string, req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): void {
  if (learnerFromCookieHeader(secret, req.headers.cookie)) return;
  const cookie = learnerCookie(secret, newLearnerId(), secure);
  res.setHeader('Set-Cookie', cookie);
  const value = cookie.split(';')[0]!;
  const others = (req.headers.cookie ?? '')
    .split(';')
    .filter((c) => c.trim() && !c.trim().startsWith(`${LEARNER_COOKIE}=`));
  req.headers.cookie = [...others, value].join('; ');
}
