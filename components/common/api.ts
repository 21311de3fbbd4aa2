// The pages' calls to the app's JSON API: the body on success; on failure an ApiFailure carrying the server's
// error (message + hint), or, when the server cannot be reached, one that says so.
import type { ApiError } from '@/components/lab/use-sandbox';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly apiError: ApiError,
  ) {
    super(apiError.message);
  }
}

/** The ApiError to show for anything a call threw. */
export function apiErrorOf(e: unknown): ApiError {
  return e instanceof ApiFailure ? e.apiError : { code: 'network', message: 'The server cannot be reached.' };
}

/** Fetches url; a string body is sent as JSON. */
export async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const headers = typeof init.body === 'string' ? { 'content-type': 'application/json', ...init.headers } : init.headers;
  const res = await fetch(url, { ...init, headers }).catch(() => {
    throw new ApiFailure(0, { code: 'network', message: 'The server cannot be reached.', hint: 'Check that the app is running, then try again.' });
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiFailure(res.status, body.error ?? { code: 'http', message: `The server answered ${res.status}.` });
  return body as T;
}
