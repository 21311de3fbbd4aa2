// The instructor's login: POST {"token"} exchanges ADMIN_TOKEN for a session cookie (the token never goes in a URL);
// DELETE logs out. Wrong tokens are limited per address, and logged without the token.
import { z } from 'zod';
import { adminCookie, clearedAdminCookie, noInstructorView, tokenMatches } from '@/lib/server/admin-auth';
import { AppError } from '@/lib/errors';
import { clientAddress, route } from '@/lib/server/http';
import { secureCookiesFor } from '@/lib/server/request-gate';

const Body = z.strictObject({ token: z.string().max(1000) });

export const POST = route(async (req, _params, app) => {
  const token = app.config.adminToken;
  if (!token) throw noInstructorView();
  const address = clientAddress(req);
  if (!app.adminLogins.take(address)) {
    throw new AppError('too_many_logins', 'Too many wrong tokens from your address.', { status: 429, hint: 'Wait a minute, then type the token again.', retryAfterS: 60 });
  }
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"token": "<ADMIN_TOKEN>"}.', { status: 400 });
  if (!tokenMatches(body.data.token, token)) {
    app.log.child('instructor').warn('wrong instructor token', { address });
    throw new AppError('wrong_token', 'That is not the instructor token.', { status: 401, hint: 'It is the ADMIN_TOKEN the server was started with.' });
  }
  app.log.child('instructor').info('instructor logged in', { address });
  const secure = secureCookiesFor(app.config, req.headers.get('x-forwarded-proto') ?? undefined);
  return new Response(null, { status: 204, headers: { 'set-cookie': adminCookie(app.secret, token, secure) } });
});

export const DELETE = route(async () => new Response(null, { status: 204, headers: { 'set-cookie': clearedAdminCookie } }));
