// /metrics on the real server: the Prometheus text format, counters that move when a check runs, and who may read it.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startAppServer, type AppServer } from '@/scripts/harness/app-server';

const TOKEN = 'instructor-token-for-tests';

function family(text: string, name: string) {
  return parsePrometheusTextFormat(text).find((f) => f.name === name);
}

describe('/metrics', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await server?.stop();
    await server?.removeSandboxes();
  });

  it('answers 401 without the token, and Prometheus text with it', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-entirely' } })).status).toBe(401);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of ['ebpf_labs_sandboxes', 'ebpf_labs_terminal_sessions', 'nodejs_eventloop_lag_seconds', 'process_resident_memory_bytes']) {
      expect(family(text, name), name).toBeDefined();
    }
  });

  it('counts a check as it runs, per lab, step and result, with its duration; and a sandbox start', async () => {
    const learner = new Client(server.url);
    await learner.fetch('/');
    expect((await learner.fetch('/api/labs/sandbox-tour/sandbox', { method: 'POST' })).status).toBe(200);
    await learner.fetch('/api/labs/sandbox-tour/check', { method: 'POST', body: JSON.stringify({ step: '01-pin-a-map' }), headers: { 'content-type': 'application/json' } });
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const checks = family(text, 'ebpf_labs_checks_total')!;
    expect(checks.metrics).toContainEqual(expect.objectContaining({ labels: { lab: 'sandbox-tour', step: '01-pin-a-map', result: 'failed' }, value: expect.stringMatching(/^[1-9]/) }));
    // The parser keeps a histogram's buckets (not its labels): the labels are read from the text itself.
    expect(Number(family(text, 'ebpf_labs_check_duration_seconds')!.metrics[0]!.buckets!['+Inf'])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^ebpf_labs_check_duration_seconds_count\{lab="sandbox-tour"\} [1-9]/m);
    expect(family(text, 'ebpf_labs_sandbox_start_seconds')!.metrics[0]!.buckets!['+Inf']).toBe('1');
    expect(text).toMatch(/^ebpf_labs_sandbox_start_seconds_count\{source="fresh"\} 1$/m);
    expect(family(text, 'ebpf_labs_sandboxes')!.metrics).toContainEqual({ labels: { state: 'running' }, value: '1' });
  });

  it('logs JSON lines with a request id, and never the cookie', async () => {
    const learner = new Client(server.url);
    await learner.fetch('/');
    await learner.fetch('/api/labs/no-such-lab/sandbox', { method: 'POST' });
    const lines = server.output.join('').split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(lines.join('\n')).not.toContain(learner.cookie.split('=')[1]!);
    expect(JSON.parse(lines[0]!)).toMatchObject({ time: expect.any(String), level: expect.any(String), scope: expect.stringMatching(/^ebpf-labs/), msg: expect.any(String) });
  });
});
