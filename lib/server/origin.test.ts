import { describe, expect, it } from 'vitest';
import { isSameOrigin } from './origin';

describe('isSameOrigin', () => {
  it('accepts the page own origin', () => {
    expect(isSameOrigin('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(isSameOrigin('https://labs.example.org', 'labs.example.org')).toBe(true);
  });
  it('refuses other sites, missing and opaque origins', () => {
    expect(isSameOrigin('http://evil.example', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('http://localhost:3001', 'localhost:3000')).toBe(false);
    expect(isSameOrigin(undefined, 'localhost:3000')).toBe(false);
    expect(isSameOrigin('null', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('file://', 'localhost:3000')).toBe(false);
  });
  it('uses PUBLIC_ORIGIN when configured (behind a proxy the Host header differs)', () => {
    expect(isSameOrigin('https://labs.example.org', 'internal:3000', 'https://labs.example.org')).toBe(true);
    expect(isSameOrigin('http://internal:3000', 'internal:3000', 'https://labs.example.org')).toBe(false);
  });
});
