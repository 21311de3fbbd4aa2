import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure, api, apiErrorOf } from './api';

const answer = (status: number, body: string) => vi.fn(async () => new Response(body, { status }));

afterEach(() => vi.unstubAllGlobals());

describe('api', () => {
  it('returns the body and sends a string body as JSON', async () => {
    const fetch = answer(200, '{"ok":true}');
    vi.stubGlobal('fetch', fetch);
    await expect(api('/x', { method: 'POST', body: '{}' })).resolves.toEqual({ ok: true });
    expect(fetch.mock.calls[0]).toEqual(['/x', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }]);
  });

  it("carries the server's error, or the status when the answer is not JSON", async () => {
    vi.stubGlobal('fetch', answer(409, '{"error":{"code":"file_conflict","message":"Changed.","hint":"Reload."}}'));
    const conflict = await api('/x').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApiFailure);
    expect(apiErrorOf(conflict)).toEqual({ code: 'file_conflict', message: 'Changed.', hint: 'Reload.' });

    vi.stubGlobal('fetch', answer(502, '<html>Bad gateway</html>'));
    expect(apiErrorOf(await api('/x').catch((e: unknown) => e))).toEqual({ code: 'http', message: 'The server answered 502.' });
  });

  it('says the server cannot be reached, in one wording, when the request fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const unreachable = apiErrorOf(await api('/x').catch((e: unknown) => e));
    expect(unreachable).toMatchObject({ code: 'network', message: 'The server cannot be reached.' });
    expect(unreachable.hint).toBeTruthy();
    expect(apiErrorOf(new Error('anything else'))).toEqual(unreachable);
  });
});
