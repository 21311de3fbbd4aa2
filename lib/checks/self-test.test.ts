import { describe, expect, it } from 'vitest';
import type { Mistake, Step } from '@/lib/labs/schema';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { testLab } from '@/tests/doubles/lab';
import type { ExecResult, SandboxDriver } from '../sandbox/types';
import { SandboxSlots } from './sandbox-slots';
import { selfTestLab } from './self-test';

/**
 * A fake sandbox that runs a tiny script language, one command a line: `set X`, `unset X`, `require X` (else print
 * "missing X", exit 1), `fail`. Each sandbox keeps its own state and the scripts it ran.
 */
function scriptedDriver() {
  const driver = new FakeDriver();
  const state = new Map<string, Set<string>>();
  const ran = new Map<string, string[]>();
  const exec: SandboxDriver['exec'] = async (id, _argv, opts) => {
    const script = opts?.stdin?.toString() ?? '';
    ran.set(id, [...(ran.get(id) ?? []), script]);
    const s = state.get(id) ?? new Set<string>();
    state.set(id, s);
    const result = (exitCode: number, stdout: string): ExecResult => ({ exitCode, stdout, stderr: '', timedOut: false, durationMs: 1 });
    for (const [cmd, arg = ''] of script.split('\n').filter(Boolean).map((l) => l.split(' '))) {
      if (cmd === 'set') s.add(arg);
      if (cmd === 'unset') s.delete(arg);
      if (cmd === 'fail') return result(1, 'solution failed');
      if (cmd === 'require' && !s.has(arg)) return result(1, `missing ${arg}`);
    }
    return result(0, 'done');
  };
  return { driver: Object.assign(driver, { exec }), ran };
}

const mistake = (m: Partial<Mistake> & { name: string; expect: string }): Mistake => ({ what: 'a typical mistake', instead: false, ...m });

function twoStepLab(overrides: Partial<Step>[] = []) {
  return testLab('two', { '01-a': 'require a', '02-b': 'require a\nrequire b' }, {}, [
    { solution: 'set a\nset slow-measurement', replay: { run: 'set a', why: 'nothing later reads the measurement' }, mistakes: [mistake({ name: 'nothing', instead: true, run: 'unset x', expect: 'missing a' })], ...overrides[0] },
    { solution: 'set b', mistakes: [mistake({ name: 'undone', run: 'unset b', expect: 'missing b' })], ...overrides[1] },
  ]);
}

describe('selfTestLab', () => {
  it('proves every check and mistake, and brings a later mistake there by the lighter replay', async () => {
    const { driver, ran } = scriptedDriver();
    const reported: string[] = [];
    const r = await selfTestLab(driver, twoStepLab(), { owner: 't', slots: new SandboxSlots(3), onMistake: (m) => reported.push(m.name) });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => [s.step, s.fromStart?.passed, s.before.passed, s.after?.passed, s.mistakes.map((m) => m.ok)])).toEqual([
      ['01-a', false, false, true, [true]],
      ['02-b', false, false, true, [true]],
    ]);
    expect(reported.sort()).toEqual(['nothing', 'undone']);
    const undone = [...ran.values()].find((scripts) => scripts.includes('unset b'))!;
    expect(undone).toEqual(['set a', 'require a', 'set b', 'unset b', 'require a\nrequire b']);
  });

  it('reports no mistake when the in-order pass fails', async () => {
    const { driver } = scriptedDriver();
    const reported: string[] = [];
    const r = await selfTestLab(driver, twoStepLab([{}, { solution: 'fail' }]), { owner: 't', slots: new SandboxSlots(3), onMistake: (m) => reported.push(m.name) });
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => [s.step, s.solutionOk, s.mistakes.length])).toEqual([
      ['01-a', true, 0],
      ['02-b', false, 0],
    ]);
    expect(reported).toEqual([]);
    expect(driver.sandboxes.size).toBe(0);
  });

  it('fails a mistake brought to its step by a lighter replay that does not complete that step', async () => {
    const { driver } = scriptedDriver();
    const r = await selfTestLab(driver, twoStepLab([{ replay: { run: 'set elsewhere', why: 'a replay that forgets a' } }]), { owner: 't', slots: new SandboxSlots(3) });
    expect(r.ok).toBe(false);
    const undone = r.steps[1]!.mistakes[0]!;
    expect(undone.ok).toBe(false);
    expect(undone.problem).toBe('the lighter replay of 01-a does not complete the step: its check says "missing a"');
  });
});
