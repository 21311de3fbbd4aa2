// WebSocket URLs of the app's own endpoints: same host as the page, wss: when the page came over https: (a
// browser refuses ws: from an https: page).

/** `path` (e.g. TERMINAL_PATH) on this page's host; `query` is appended when given. */
export function wsUrl(path: string, query?: URLSearchParams | Record<string, string>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const search = query ? `?${new URLSearchParams(query)}` : '';
  return `${scheme}://${location.host}${path}${search}`;
}
