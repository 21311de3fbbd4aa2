// Checks, solutions and the lab self-test on a real sandbox.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessage } from '@/lib/checks/check-message';
import { selfTestLab } from '@/lib/checks/self-test';
import { loadLab } from '@/lib/labs/loader';
import { runLabScript, type LabScriptOptions } from '@/lib/sandbox/lab-exec';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import type { Sandbox } from '@/lib/sandbox/types';
import { testDriver, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  sandbox = await track.create();
});
afterAll(() => track.cleanup());

/** A check as the scheduler runs it: the script with the lab environment, and the message the learner reads. */
async function runCheck(driver: DockerSandboxDriver, id: string, script: string, opts: LabScriptOptions) {
  const r = await runLabScript(driver, id, script, opts);
  return { ...r, message: checkMessage(r, opts.timeoutMs) };
}

describe('the check runner', () => {
  it('passes on exit 0 and shows the last line as the message', async () => {
    const r = await runCheck(driver, sandbox.id, 'echo looking\necho "All good: $((1+1)) maps."\n', { timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, message: 'All good: 2 maps.', timedOut: false });
  });

  it('fails on other exits, with the message the check printed', async () => {
    const r = await runCheck(driver, sandbox.id, 'echo "No map yet: run bpftool map create."\nexit 1\n', { timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 1, message: 'No map yet: run bpftool map create.' });
  });

  it('runs with the lab environment, and commands reading stdin do not eat the script', async () => {
    const r = await runCheck(driver, sandbox.id, 'cat\necho "cgroup=$LAB_CGROUP step=$LAB_STEP"\n', { timeoutMs: 10_000, env: { LAB_STEP: '01-x' } });
    expect(r.message).toBe(`cgroup=${sandbox.preflight.cgroup} step=01-x`);
  });

  it('kills a check that hangs, and everything it started, and says so', async () => {
    const r = await runCheck(driver, sandbox.id, 'sleep 222 &\nsleep 223\necho never\n', { timeoutMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.message).toBe('The check took longer than 2 s and was stopped.');
    const ps = await driver.exec(sandbox.id, ['ps', '-eo', 'args']);
    expect(ps.stdout).not.toMatch(/sleep 22[23]/);
  });
});

describe('the lab self-test', () => {
  function lab(files: Record<string, string>) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'selftest-'));
    const all: Record<string, string> = {
      'lab.yaml': 'title: Self test\nsummary: A lab for testing the self-test.\nduration: 5\ndifficulty: beginner\n',
      ...files,
    };
    for (const [f, c] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(root, 'st', f)), { recursive: true });
      writeFileSync(path.join(root, 'st', f), c);
    }
    return root;
  }

  it('passes a lab whose checks fail before their solutions and pass after', async () => {
    const root = lab({
      'steps/01-touch.md': '# Touch a file\n',
      'checks/01-touch.sh': '[ -e /tmp/flag ] && echo "flag is there" || { echo "no flag yet"; exit 1; }\n',
      'solutions/01-touch.sh': 'touch /tmp/flag\n',
    });
    const { lab: l } = await loadLab(root, 'st');
    const r = await selfTestLab(driver, l!, { owner: 'test' });
    expect(r.ok).toBe(true);
    expect(r.steps[0]).toMatchObject({
      before: { passed: false, message: 'no flag yet' },
      solutionOk: true,
      after: { passed: true, message: 'flag is there' },
    });
  });

  it('fails a check that already passes before its solution, and a solution that fails', async () => {
    const root = lab({
      'steps/01-lax.md': '# Lax check\n',
      'checks/01-lax.sh': 'echo "always fine"\n',
      'solutions/01-lax.sh': 'true\n',
      'steps/02-broken.md': '# Broken solution\n',
      'checks/02-broken.sh': 'exit 1\n',
      'solutions/02-broken.sh': 'echo trying\nfalse\n',
    });
    const { lab: l } = await loadLab(root, 'st');
    const r = await selfTestLab(driver, l!, { owner: 'test' });
    expect(r.ok).toBe(false);
    expect(r.steps[0]).toMatchObject({ before: { passed: true }, after: { passed: true } });
    expect(r.steps[1]).toMatchObject({ solutionOk: false, solutionOutput: 'trying' });
  });

  it('fails a check that passes in the initial state, a check over its budget, and a mistake the check misses', async () => {
    const root = lab({
      'lab.yaml': 'title: Self test\nsummary: A lab for testing the self-test.\nduration: 5\ndifficulty: beginner\nworkspace: { from: starter, to: /root/ws }\n',
      'starter/notes.txt': 'one\ntwo\n',
      // Step 1 ticks by itself at the start, and is undone by step 2's solution before its check runs again.
      'steps/01-early.md': '# Early\n',
      'checks/01-early.sh': '[ ! -e /tmp/undo ] && echo "nothing undone" || { echo "undone"; exit 1; }\n',
      'solutions/01-early.sh': 'true\n',
      'steps/02-slow.md': '---\ncheckBudget: { seconds: 0.5, why: "a test of the budget, nothing more" }\n---\n# Slow\n',
      'checks/02-slow.sh': 'sleep 1; [ -e /tmp/slow ] || { echo "not yet"; exit 1; }\n',
      'solutions/02-slow.sh': 'touch /tmp/slow\n',
      'steps/03-edit.md': [
        '---',
        'mistakes:',
        '  - { name: caught, what: "line two removed", patch: mistakes/03-edit/drop-two.patch, expect: "line two is missing", reason: no-two }',
        '  - { name: missed, what: "line one changed", run: "sed -i s/one/uno/ /root/ws/notes.txt", expect: "line one" }',
        '---',
        '# Edit',
        '',
      ].join('\n'),
      'checks/03-edit.sh': 'grep -q three /root/ws/notes.txt || { echo "no line three"; exit 1; }\ngrep -q two /root/ws/notes.txt || { echo "::reason no-two"; echo "line two is missing"; exit 1; }\necho ok\n',
      'solutions/03-edit.sh': 'echo three >> /root/ws/notes.txt\n',
      'mistakes/03-edit/drop-two.patch': '--- a/notes.txt\n+++ b/notes.txt\n@@ -1,3 +1,2 @@\n one\n-two\n three\n',
    });
    const { lab: l, problems } = await loadLab(root, 'st');
    expect(problems).toEqual([]);
    const r = await selfTestLab(driver, l!, { owner: 'test' });
    expect(r.ok).toBe(false);
    expect(r.steps[0]).toMatchObject({ fromStart: { passed: true, message: 'nothing undone' } });
    expect(r.steps[1]).toMatchObject({ overBudget: true, after: { passed: true } });
    expect(r.steps[2]!.mistakes).toEqual([
      expect.objectContaining({ name: 'caught', ok: true, reason: 'no-two', message: 'line two is missing' }),
      expect.objectContaining({ name: 'missed', ok: false, problem: 'the check passes: this mistake goes unnoticed' }),
    ]);
  });

  it('reports a failing lab setup with its output', async () => {
    const root = lab({
      'lab.yaml': 'title: Self test\nsummary: A lab for testing the self-test.\nduration: 5\ndifficulty: beginner\nsetup: setup.sh\n',
      'setup.sh': 'echo "creating pods"\necho "ip: no such device" >&2\nexit 2\n',
      'steps/01-a.md': '# A\n',
      'checks/01-a.sh': 'exit 1\n',
      'solutions/01-a.sh': 'true\n',
    });
    const { lab: l } = await loadLab(root, 'st');
    const r = await selfTestLab(driver, l!, { owner: 'test' });
    expect(r.ok).toBe(false);
    expect(r.setupError).toMatch(/setup exited with status 2/);
    expect(r.setupError).toMatch(/ip: no such device/);
  });
});
