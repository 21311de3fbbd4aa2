import { describe, expect, it } from 'vitest';
import { hostAllowed, originAllowed, originPolicy } from './origin';

const machine = { interfaces: () => ['127.0.0.1', '10.0.0.5', '::1', 'fe80::1'], hostname: () => 'LabBox' };
const loopback = originPolicy({ host: '127.0.0.1', allowedOrigins: [] }, 3000, machine);

describe('the hosts the server answers for', () => {
  it('bound to loopback: localhost, 127.0.0.1 and [::1] on its port, nothing else', () => {
    for (const h of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:3000']) expect(hostAllowed(loopback, h), h).toBe(true);
    // DNS rebinding: another name that resolves to 127.0.0.1.
    for (const h of ['evil.example:3000', 'evil.example', 'localhost:3001', '10.0.0.5:3000', 'labbox:3000', '', undefined]) {
      expect(hostAllowed(loopback, h), String(h)).toBe(false);
    }
  });

  it('bound everywhere: also the machine own addresses and name (a class by IP)', () => {
    const all = originPolicy({ host: '0.0.0.0', allowedOrigins: [] }, 3000, machine);
    for (const h of ['10.0.0.5:3000', 'labbox:3000', '[fe80::1]:3000', 'localhost:3000']) expect(hostAllowed(all, h), h).toBe(true);
    expect(hostAllowed(all, 'evil.example:3000')).toBe(false);
  });

  it('PUBLIC_ORIGIN and ALLOWED_ORIGINS, default ports included', () => {
    const p = originPolicy({ host: '127.0.0.1', publicOrigin: 'https://labs.example.org', allowedOrigins: ['http://class.local:8080'] }, 3000, machine);
    for (const h of ['labs.example.org', 'labs.example.org:443', 'class.local:8080']) expect(hostAllowed(p, h), h).toBe(true);
    expect(hostAllowed(p, 'labs.example.org:8443')).toBe(false);
  });
});

describe('the origins state-changing requests and upgrades must come from', () => {
  it('accepts the app own origin, compared by scheme, host and port', () => {
    expect(originAllowed(loopback, 'http://localhost:3000')).toBe(true);
    expect(originAllowed(loopback, 'http://127.0.0.1:3000')).toBe(true);
    expect(originAllowed(loopback, 'http://[::1]:3000')).toBe(true);
  });

  it('refuses other sites, a rebound name, another scheme or port, missing and opaque origins', () => {
    for (const o of [
      'http://evil.example',
      'http://evil.example:3000',
      'https://127.0.0.1:3000', // the scheme counts: this server speaks http
      'http://localhost:3001',
      'http://127.0.0.1:3000/path',
      'file://',
      'null',
      undefined,
    ]) {
      expect(originAllowed(loopback, o), String(o)).toBe(false);
    }
  });

  it('uses PUBLIC_ORIGIN behind a proxy, whatever Host the proxy sends', () => {
    const p = originPolicy({ host: '127.0.0.1', publicOrigin: 'https://labs.example.org', allowedOrigins: [] }, 3000, machine);
    expect(originAllowed(p, 'https://labs.example.org')).toBe(true);
    expect(originAllowed(p, 'http://labs.example.org')).toBe(false);
  });
});
