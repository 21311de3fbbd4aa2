// The proxy by its name, the same everywhere the pages show it. The sandbox image carries Envoy, or HAProxy where
// Envoy could not be installed (README, "The proxy"); a lab's title may name one of them, and the page names the one
// the learner's sandbox actually runs.
const NAMES: Record<string, string> = { envoy: 'Envoy', haproxy: 'HAProxy' };

/** 'haproxy' -> 'HAProxy'; an unknown kind as it is. */
export function proxyName(kind: string | undefined): string | undefined {
  return kind ? (NAMES[kind] ?? kind) : undefined;
}

/** A lab's title or summary as the page shows it: a proxy it names becomes the one the sandbox runs. */
export function withProxyNamed(text: string, kind: string | undefined): string {
  const name = proxyName(kind);
  return name ? text.replace(/\b(Envoy|HAProxy)\b/g, name) : text;
}
