import { describe, expect, it } from 'vitest';
import { createLogger, requestContext } from './log';

describe('logs', () => {
  it('are JSON lines with the scope, the request id and the fields, never a cookie or a token', () => {
    const lines: string[] = [];
    const log = createLogger('ebpf-labs', (l) => lines.push(l), 'json').child('gate');
    requestContext.run({ requestId: 'r-1' }, () => log.warn('refused', { learner: 'abc', headers: { cookie: 'ebpf_labs_learner=x.y', host: 'h' }, adminToken: 't' }));
    const e = JSON.parse(lines[0]!);
    expect(e).toMatchObject({ level: 'warn', scope: 'ebpf-labs:gate', msg: 'refused', requestId: 'r-1', learner: 'abc', headers: { cookie: '[redacted]', host: 'h' }, adminToken: '[redacted]' });
    expect(lines[0]).not.toContain('x.y');
  });

  it('as text for a developer, with the same redaction', () => {
    const lines: string[] = [];
    createLogger('s', (l) => lines.push(l), 'text').info('hello', { authorization: 'Bearer abc', n: 1 });
    expect(lines[0]).toMatch(/ info \[s\] hello \{"authorization":"\[redacted\]","n":1\}$/);
  });
});
