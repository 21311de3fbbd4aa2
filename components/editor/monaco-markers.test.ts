import { expect, it } from 'vitest';
import type { LoadResult } from './editor-api';
import { verifierDiagnostics } from './monaco-markers';

const load = (verifier: LoadResult['verifier']): LoadResult => ({ ok: false, exitCode: 1, timedOut: false, durationMs: 5, output: '', verifier });

it("marks the source line a refused program's verifier log names, only when it is in the workspace", () => {
  expect(verifierDiagnostics(load({ reason: 'R2 invalid mem access', at: { path: 'sockops.bpf.c', line: 50, inWorkspace: true } }))).toEqual([
    { path: 'sockops.bpf.c', line: 50, column: 1, severity: 'error', message: 'verifier: R2 invalid mem access', inWorkspace: true },
  ]);
  expect(verifierDiagnostics(load({ at: { path: 'sockops.bpf.c', line: 7, inWorkspace: true } }))[0]?.message).toBe('verifier: refused');
  expect(verifierDiagnostics(load({ at: { path: '/usr/include/linux/bpf.h', line: 1, inWorkspace: false } }))).toEqual([]);
  expect(verifierDiagnostics(load({}))).toEqual([]);
});
