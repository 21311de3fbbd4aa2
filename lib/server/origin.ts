// Same-origin checks for state-changing requests and WebSocket upgrades (cross-site WebSocket hijacking).

/**
 * True when `origin` (the browser's Origin header) is this app: PUBLIC_ORIGIN when configured, otherwise the
 * scheme-less match of the Host header the browser used. A missing Origin is not same-origin.
 */
export function isSameOrigin(origin: string | undefined, host: string | undefined, publicOrigin?: string): boolean {
  if (!origin || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (publicOrigin) return url.origin === new URL(publicOrigin).origin;
  return !!host && url.host.toLowerCase() === host.toLowerCase() && /^https?:$/.test(url.protocol);
}
