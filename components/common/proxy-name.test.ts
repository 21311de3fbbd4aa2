import { expect, it } from 'vitest';
import { proxyName, withProxyNamed } from './proxy-name';

it('names the proxy the sandbox runs, the same way everywhere', () => {
  expect(proxyName('haproxy')).toBe('HAProxy');
  expect(proxyName('envoy')).toBe('Envoy');
  expect(proxyName(undefined)).toBeUndefined();
  expect(withProxyNamed('Transparent ingress redirection to Envoy', 'haproxy')).toBe('Transparent ingress redirection to HAProxy');
  expect(withProxyNamed('Transparent ingress redirection to Envoy', 'envoy')).toBe('Transparent ingress redirection to Envoy');
  expect(withProxyNamed('Transparent ingress redirection to Envoy', undefined)).toBe('Transparent ingress redirection to Envoy');
  expect(withProxyNamed('Envoyer', 'haproxy')).toBe('Envoyer');
});
