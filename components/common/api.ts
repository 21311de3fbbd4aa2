// The pages' calls to the app's JSON API: the body on success; on failure an ApiFailure carrying the server's
// error (message + hint), or, when the server cannot be reached, one that says so. Every request of the pages goes
// through here, so each failure has one wording.

/** An error as the API sends it (`{ error: ApiError }`) and the pages show it (ApiErrorView). */
export type ApiError = {
  code: string;
  message: string;
  hint?: string;
  details?: string[];
  /** Facts the page acts on, e.g. a place in the waiting line. */
  data?: Record<string, string | number | boolean | null>;
};

const UNREACHABLE: ApiError = {
  code: 'network',
  message: 'The server cannot be reached.',
  hint: 'Check your connection and that the app is running, then try again.',
};

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
  return e instanceof ApiFailure ? e.apiError : UNREACHABLE;
}

/** Fetches url; a string body is sent as JSON. */
export async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const headers = typeof init.body === 'string' ? { 'content-type': 'application/json', ...init.headers } : init.headers;
  const res = await fetch(url, { ...init, headers }).catch(() => {
    throw new ApiFailure(0, UNREACHABLE);
  });
  // An error page from a proxy, or an empty answer, is not JSON: the status still says what happened.
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiFailure(res.status, body.error ?? { code: 'http', message: `The server answered ${res.status}.` });
  return body as T;
}
