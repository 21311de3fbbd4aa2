// The instructor's access: the ADMIN_TOKEN is typed once on /admin's login form and exchanged for a signed, HttpOnly
// session cookie (12 hours), so the token never sits in a URL, a history or a log line. A script may send the token
// itself as a Bearer header instead. A changed ADMIN_TOKEN ends every instructor session (the cookie's signature
// covers a hash of the token). No token configured: there is no instructor view at all.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { AppError } from '../errors';
import { parseCookies, sameSignature, setCookie } from './learner-cookie';

export const ADMIN_COOKIE = 'ebpf_labs_admin';
export const ADMIN_SESSION_S = 12 * 3600;

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  // Compared as hashes: equal lengths for timingSafeEqual, and nothing learned from the length of a guess.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function bearerOf(authorization: string | null | undefined): string | undefined {
  return /^Bearer (\S+)$/.exec(String(authorization ?? ''))?.[1];
}

function mac(secret: string, token: string, expires: number): string {
  const tokenHash = createHash('sha256').update(token).digest('base64url');
  return createHmac('sha256', secret).update(`admin:${expires}:${tokenHash}`).digest('base64url');
}

/** The Set-Cookie value of a new instructor session. */
export function adminCookie(secret: string, token: string, secure: boolean, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + ADMIN_SESSION_S;
  // Strict: another site's page cannot make the instructor's browser reset a learner's sandbox.
  return setCookie(ADMIN_COOKIE, `${expires}.${mac(secret, token, expires)}`, { sameSite: 'Strict', maxAgeS: ADMIN_SESSION_S, secure });
}

export const clearedAdminCookie = setCookie(ADMIN_COOKIE, '', { sameSite: 'Strict', maxAgeS: 0, secure: false });

export function adminCookieValid(secret: string, token: string, value: string | undefined, now = Date.now()): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m) return false;
  const expires = Number(m[1]);
  if (expires * 1000 <= now) return false;
  return sameSignature(m[2]!, mac(secret, token, expires));
}

export interface AdminAccess {
  secret: string;
  adminToken?: string;
}

/** Is this request the instructor's (the session cookie, or the token as a Bearer header)? */
export function isAdmin(access: AdminAccess, headers: { cookie?: string | null; authorization?: string | null }, now = Date.now()): boolean {
  if (!access.adminToken) return false;
  if (tokenMatches(bearerOf(headers.authorization), access.adminToken)) return true;
  return adminCookieValid(access.secret, access.adminToken, parseCookies(headers.cookie ?? undefined)[ADMIN_COOKIE], now);
}

export function noInstructorView(): AppError {
  return new AppError('no_instructor_view', 'This server has no instructor view.', {
    status: 404,
    hint: 'Set ADMIN_TOKEN (16 characters or more) in the server configuration and restart it.',
  });
}

/** Throws the error a route answers when the request is not the instructor's: 404 without a token, 401 otherwise. */
export function assertAdmin(access: AdminAccess, req: Request): void {
  if (!access.adminToken) throw noInstructorView();
  if (!isAdmin(access, { cookie: req.headers.get('cookie'), authorization: req.headers.get('authorization') })) {
    throw new AppError('instructor_only', 'This is for the instructor.', {
      status: 401,
      hint: 'Log in on /admin with the instructor token (ADMIN_TOKEN), or send it as "Authorization: Bearer <token>".',
    });
  }
}

/** For a WebSocket upgrade or a plain Node request. */
export function isAdminRequest(access: AdminAccess, req: http.IncomingMessage): boolean {
  return isAdmin(access, { cookie: req.headers.cookie, authorization: req.headers.authorization });
}
