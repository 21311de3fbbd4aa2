// Which hosts and origins this server answers for. A request whose Host is not one of them is refused before any
// cookie is issued (DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 sends
// Host: evil.example), and a state-changing request or WebSocket upgrade must come from one of the origins
// (scheme, host and port compared; never the request's own Host, which the attacker chooses).
import os from 'node:os';

export interface OriginSettings {
  /** The address the server listens on (HOST): 127.0.0.1, ::1, 0.0.0.0, :: or a specific address. */
  host: string;
  publicOrigin?: string;
  allowedOrigins: string[];
}

export interface OriginPolicy {
  /** Allowed Host values as hostname:port, port always explicit. */
  readonly hosts: ReadonlySet<string>;
  /** Allowed Origin values, in URL's normal form (http://host[:port], default ports left out). */
  readonly origins: ReadonlySet<string>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** "::1" -> "[::1]": an IPv6 address as it appears in a Host header. */
function hostPart(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** "http://Labs.example.org" -> { host: "labs.example.org:80", origin: "http://labs.example.org" }. */
function fromOrigin(origin: string): { host: string; origin: string } | undefined {
  try {
    const url = new URL(origin);
    if (!/^https?:$/.test(url.protocol)) return undefined;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { host: `${url.hostname}:${port}`, origin: url.origin };
  } catch {
    return undefined;
  }
}

/**
 * The policy for a server listening on `settings.host`:`port`: the loopback names when it listens there or
 * everywhere; the listen address itself; when it listens everywhere, this machine's interface addresses and host
 * name too (a class reaching it by IP); PUBLIC_ORIGIN and ALLOWED_ORIGINS always.
 */
export function originPolicy(
  settings: OriginSettings,
  port: number,
  machine: { interfaces: () => string[]; hostname: () => string } = {
    interfaces: () => Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
    hostname: () => os.hostname(),
  },
): OriginPolicy {
  const names = new Set<string>(LOOPBACK_NAMES);
  const listen = settings.host.toLowerCase();
  if (WILDCARDS.has(listen)) {
    for (const address of machine.interfaces()) names.add(hostPart(address.toLowerCase()));
    names.add(machine.hostname().toLowerCase());
  } else {
    names.add(hostPart(listen));
  }
  const hosts = new Set<string>();
  const origins = new Set<string>();
  for (const name of names) {
    const parsed = fromOrigin(`http://${name}:${port}`);
    if (!parsed) continue;
    hosts.add(parsed.host);
    origins.add(parsed.origin);
  }
  for (const configured of [settings.publicOrigin, ...settings.allowedOrigins]) {
    const parsed = configured ? fromOrigin(configured) : undefined;
    if (!parsed) continue;
    hosts.add(parsed.host);
    origins.add(parsed.origin);
  }
  return { hosts, origins };
}

/** Is this Host header one the server answers for? A Host without a port may mean 80 or 443. */
export function hostAllowed(policy: OriginPolicy, host: string | undefined): boolean {
  if (!host || host.length > 300) return false;
  const h = host.trim().toLowerCase();
  if (/:\d+$/.test(h)) return policy.hosts.has(h);
  return policy.hosts.has(`${h}:80`) || policy.hosts.has(`${h}:443`);
}

/** Is this Origin header one of the app's own? A missing or opaque ("null") origin is not. */
export function originAllowed(policy: OriginPolicy, origin: string | undefined): boolean {
  if (!origin || origin === 'null') return false;
  const parsed = fromOrigin(origin);
  return !!parsed && parsed.origin === origin.toLowerCase().replace(/\/$/, '') && policy.origins.has(parsed.origin);
}
