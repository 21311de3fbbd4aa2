// Route handlers' side of the server: who is asking (the signed learner cookie), same-origin checks for requests
// that change state, and every failure as JSON with a message and a hint. Handlers get the services as an argument.
import { cookies } from 'next/headers';
import { AppError, DockerUnavailableError, isAppError, isEngineConnectionError } from '../errors';
import { createLogger, type Logger } from '../log';
import { assertAdmin } from './admin-auth';
import { COOKIE_PROBLEM, LEARNER_COOKIE, verifyLearner } from './learner-cookie';
import { originAllowed, type OriginPolicy } from './origin';
import { CLIENT_ADDRESS_HEADER } from './request-gate';
import { getServices, type Services } from './services';

/** The learner id from the signed cookie (server.ts sets one on every request), or a 401 saying what to do. */
export async function currentLearner(secret: string): Promise<string> {
  const value = (await cookies()).get(LEARNER_COOKIE)?.value;
  const id = verifyLearner(secret, value);
  if (!id) {
    const problem = value === undefined ? COOKIE_PROBLEM.missing : COOKIE_PROBLEM.invalid;
    throw new AppError(problem.code, problem.message, { status: 401, hint: problem.hint });
  }
  return id;
}

/** The client's address, as the request gate recorded it (never a header the client sent itself). */
export function clientAddress(req: Request): string {
  return req.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}

/** For pages: the learner id, or '' for a request without a valid cookie (it sees a learner with no progress). */
export async function learnerOnPage(secret: string): Promise<string> {
  return verifyLearner(secret, (await cookies()).get(LEARNER_COOKIE)?.value) ?? '';
}

export function errorResponse(err: unknown, log: Logger): Response {
  if (isEngineConnectionError(err)) err = new DockerUnavailableError('the configured address', err);
  if (isAppError(err)) {
    if (err.status >= 500) log.warn(`${err.code}: ${err.message}`, err.cause ?? err.options.details);
    return err.toResponse();
  }
  log.error('unexpected error in a route', err);
  return Response.json(
    { error: { code: 'internal', message: 'Something went wrong on the server.', hint: 'Try again; the server log has the details.' } },
    { status: 500 },
  );
}

/** Refuses state-changing requests that another site's page sent (the cookie alone proves nothing). */
function assertSameOrigin(req: Request, policy: OriginPolicy): void {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  if (!originAllowed(policy, req.headers.get('origin') ?? undefined)) {
    throw new AppError('cross_origin', "This request did not come from this app's pages.", {
      status: 403,
      hint: 'Use the app at its own address.',
    });
  }
}

/**
 * A route handler: `handler` gets the request, the route's parameters and the services; whatever it throws becomes
 * a JSON error with a status, a message and a hint.
 */
export function route<P extends Record<string, string | string[]> = Record<string, never>>(
  handler: (req: Request, params: P, app: Services) => Promise<Response>,
) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    let app: Services | undefined;
    try {
      app = getServices();
      assertSameOrigin(req, app.originPolicy);
      return await handler(req, await ctx.params, app);
    } catch (err) {
      return errorResponse(err, app?.log ?? createLogger('route'));
    }
  };
}

/** A route for the instructor only: 404 when the server has no ADMIN_TOKEN, 401 without the instructor's session. */
export function adminRoute<P extends Record<string, string | string[]> = Record<string, never>>(
  handler: (req: Request, params: P, app: Services) => Promise<Response>,
) {
  return route<P>(async (req, params, app) => {
    assertAdmin({ secret: app.secret, adminToken: app.config.adminToken }, req);
    return handler(req, params, app);
  });
}
