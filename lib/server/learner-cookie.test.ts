import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnerCookie, learnerFromCookieHeader, loadOrCreateSecret, newLearnerId, parseCookies, signLearner, verifyLearner } from './learner-cookie';

const secret = 'x'.repeat(40);

describe('learner cookies', () => {
  it('verifies what it signed and nothing else', () => {
    const id = newLearnerId();
    const value = signLearner(secret, id);
    expect(verifyLearner(secret, value)).toBe(id);
    expect(verifyLearner('y'.repeat(40), value)).toBeUndefined();
    expect(verifyLearner(secret, `${newLearnerId()}.${value.split('.')[1]}`)).toBeUndefined();
    expect(verifyLearner(secret, id)).toBeUndefined();
    expect(verifyLearner(secret, 'not-an-id.abc')).toBeUndefined();
    expect(verifyLearner(secret, undefined)).toBeUndefined();
  });
  it('is HttpOnly, SameSite=Lax, and Secure behind https', () => {
    const c = learnerCookie(secret, newLearnerId(), true);
    expect(c).toMatch(/HttpOnly/);
    expect(c).toMatch(/SameSite=Lax/);
    expect(c).toMatch(/Secure/);
    expect(learnerCookie(secret, newLearnerId(), false)).not.toMatch(/Secure/);
  });
  it('is found among other cookies', () => {
    const id = newLearnerId();
    const header = `a=1; ebpf_labs_learner=${signLearner(secret, id)}; b=%20`;
    expect(learnerFromCookieHeader(secret, header)).toBe(id);
    expect(parseCookies(header).b).toBe(' ');
  });
});

describe('loadOrCreateSecret', () => {
  it('prefers the configured secret', () => {
    expect(loadOrCreateSecret('configured', '/nonexistent')).toBe('configured');
  });
  it('creates one secret per data directory, private to the owner', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secret-'));
    const a = loadOrCreateSecret(undefined, dir);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateSecret(undefined, dir)).toBe(a);
    expect(statSync(path.join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
  });
});
