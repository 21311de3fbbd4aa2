// Helpers for route handlers: who is asking (the signed learner cookie) and errors as JSON with a hint.
import { cookies } from 'next/headers';
import { AppError, DockerUnavailableError, isAppError, isEngineConnectionError } from './errors';
import { isSameOrigin } from './origin';
import { getServices } from './services';
import { LEARNER_COOKIE, verifyLearner } from './session';

/** The learner id from the signed cookie (server.ts sets one on every request). */
export async function currentLearner(): Promise<string> {
  const { secret } = getServices();
  const id = verifyLearner(secret, (await cookies()).get(LEARNER_COOKIE)?.value);
  if (!id) {
    throw new AppError('no_session', 'Your session cookie is missing or invalid.', {
      status: 401,
      hint: 'Reload the page: the server gives every visitor a new session.',
    });
  }
  return id;
}

export function errorResponse(err: unknown): Response {
  if (isEngineConnectionError(err)) err = new DockerUnavailableError('the configured address', err);
  if (isAppError(err)) {
    if (err.status >= 500) getServices().log.warn(`${err.code}: ${err.message}`, err.cause ?? err.options.details);
    return err.toResponse();
  }
  getServices().log.error('unexpected error in a route', err);
  return Response.json(
    { error: { code: 'internal', message: 'Something went wrong on the server.', hint: 'Try again; the server log has the details.' } },
    { status: 500 },
  );
}

/** Refuses state-changing requests that another site's page sent (the cookie alone proves nothing). */
function assertSameOrigin(req: Request): void {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  const { publicOrigin } = getServices().config;
  if (!isSameOrigin(req.headers.get('origin') ?? undefined, req.headers.get('host') ?? undefined, publicOrigin)) {
    throw new AppError('cross_origin', 'This request did not come from this app\'s pages.', {
      status: 403,
      hint: 'Use the app at its own address.',
    });
  }
}

/** Wraps a route handler so every failure becomes a JSON error with a status, a message and a hint. */
export function route<A extends [Request, ...unknown[]]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      assertSameOrigin(args[0]);
      return await handler(...args);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
