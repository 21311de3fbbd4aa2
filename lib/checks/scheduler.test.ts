import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testLab } from '@/tests/doubles/lab';
import { migrate } from '../db';
import { LabEventChannel } from '../lab-events/channel';
import type { LabEvent } from '../lab-events/events';
import { ProgressStore } from '../progress/store';
import type { LabScriptOptions } from '../sandbox/lab-exec';
import type { ExecResult } from '../sandbox/types';
import { CheckScheduler, type CheckTarget } from './scheduler';

const lab = testLab('lab', { '01-a': 'check a', '02-b': 'check b', '03-c': 'check c' });
const POLL_MS = 1000;

/** A sandbox whose checks pass when their script is in `passing`; a run can be held open with `hold()`. */
class ScriptedSandbox {
  readonly runs: { sandboxId: string; script: string; env?: Record<string, string> }[] = [];
  readonly passing = new Set<string>();
  private gate?: Promise<void>;
  private open?: () => void;

  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  /** Failures with a reason code, per script. */
  readonly reasons = new Map<string, string>();
  run = async (sandboxId: string, script: string, opts: LabScriptOptions): Promise<ExecResult> => {
    this.runs.push({ sandboxId, script, env: opts.env });
    await this.gate;
    const ok = this.passing.has(script);
    const reason = this.reasons.get(script);
    const stdout = ok ? `${script}: done\n` : `${reason ? `::reason ${reason}\n` : ''}${script}: not yet\n`;
    return { exitCode: ok ? 0 : 1, stdout, stderr: '', timedOut: false, durationMs: 5 };
  };
}

let sandbox: ScriptedSandbox;
let events: LabEventChannel;
let got: LabEvent[];
let store: ProgressStore;
let scheduler: CheckScheduler;
let target: CheckTarget;

beforeEach(() => {
  const db = new Database(':memory:');
  migrate(db);
  store = new ProgressStore(db);
  sandbox = new ScriptedSandbox();
  events = new LabEventChannel();
  got = [];
  events.subscribe('ann', 'lab', (e) => got.push(e));
  target = { learner: 'ann', lab, sandbox: { id: 'sb-1' } };
  scheduler = makeScheduler();
});

/** A scheduler on this test's store and sandbox; made after vi.useFakeTimers() when a test drives its timer. */
function makeScheduler(sandboxOf = async () => ({ id: 'sb-1' }) as { id: string } | undefined): CheckScheduler {
  return new CheckScheduler({ store, events, runScript: sandbox.run, sandboxOf, pollIntervalMs: POLL_MS });
}
afterEach(() => {
  scheduler.close();
  vi.useRealTimers();
});

const flush = () => new Promise((r) => setImmediate(r));

describe('CheckScheduler', () => {
  it('after a command, checks the first step not done, in the learner sandbox, and publishes what happened', async () => {
    sandbox.passing.add('check a');
    const outcomes = await scheduler.check(target, 'command');
    expect(outcomes).toEqual([expect.objectContaining({ step: '01-a', passed: true, newlyDone: true, message: 'check a: done', trigger: 'command' })]);
    expect(sandbox.runs).toEqual([{ sandboxId: 'sb-1', script: 'check a', env: { LAB_STEP: '01-a' } }]);
    expect(got.map((e) => e.type)).toEqual(['checking', 'check', 'progress']);
    expect(store.forLab('ann', lab).steps[0]!.status).toBe('done');

    // The next command checks the next step.
    await scheduler.check(target, 'command');
    expect(sandbox.runs.at(-1)!.script).toBe('check b');
  });

  it('folds triggers that arrive while a check runs into one more run, with the latest sandbox', async () => {
    sandbox.hold();
    const first = scheduler.check(target, 'command');
    await flush();
    const later = [
      scheduler.check(target, 'command'),
      scheduler.check(target, 'poll'),
      scheduler.check({ ...target, sandbox: { id: 'sb-2' } }, 'command'),
    ];
    sandbox.release();
    await first;
    const [a, b, c] = await Promise.all(later);
    expect(sandbox.runs.map((r) => r.sandboxId)).toEqual(['sb-1', 'sb-2']); // two runs for four triggers
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('lets an explicit step (the Check button) win over the general request it is folded into', async () => {
    sandbox.hold();
    const first = scheduler.check(target, 'command');
    await flush();
    const folded = scheduler.check(target, 'command');
    const button = scheduler.check(target, 'button', '03-c');
    sandbox.release();
    await first;
    expect(await button).toEqual([expect.objectContaining({ step: '03-c', trigger: 'command' })]);
    expect(await folded).toBe(await button);
  });

  it('holds every check while paused (a benchmark measures the sandbox), and checks again once resumed', async () => {
    scheduler.pause('ann', 'lab');
    expect(scheduler.isPaused('ann', 'lab')).toBe(true);
    expect(await scheduler.check(target, 'command')).toEqual([]);
    expect(await scheduler.check(target, 'button', '01-a')).toEqual([]);
    expect(sandbox.runs).toEqual([]);
    expect(got).toEqual([]);
    scheduler.resume('ann', 'lab');
    expect(await scheduler.check(target, 'command')).toHaveLength(1);
  });

  it('checks the step an open page shows besides the first one not done', async () => {
    scheduler.watch('ann', lab, { viewStep: '03-c' });
    await scheduler.check(target, 'command');
    expect(sandbox.runs.map((r) => r.script).sort()).toEqual(['check a', 'check c']);
  });

  it('polls while a page is open (quietly: no "checking" event), and stops when it closes or checks are paused', async () => {
    vi.useFakeTimers();
    scheduler.close();
    scheduler = makeScheduler();
    const close = scheduler.watch('ann', lab, {});
    await vi.advanceTimersByTimeAsync(POLL_MS + 10);
    expect(sandbox.runs).toHaveLength(1);
    expect(got.map((e) => e.type)).toEqual(['check', 'progress']);
    expect(got[0]).toMatchObject({ trigger: 'poll' });

    scheduler.pause('ann', 'lab');
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(sandbox.runs).toHaveLength(1);
    scheduler.resume('ann', 'lab');
    await vi.advanceTimersByTimeAsync(POLL_MS * 2);
    const polled = sandbox.runs.length;
    expect(polled).toBeGreaterThan(1);

    close();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(sandbox.runs).toHaveLength(polled);
  });

  it('lets a step tick only once the steps before it are done or skipped, and says which one is missing', async () => {
    scheduler.watch('ann', lab, { viewStep: '02-b' });
    sandbox.passing.add('check b');
    const early = await scheduler.check(target, 'command');
    expect(early.find((o) => o.step === '02-b')).toMatchObject({ passed: true, newlyDone: false, blockedBy: '01-a' });
    expect(store.forLab('ann', lab).steps[1]!.status).toBe('todo');
    sandbox.passing.add('check a');
    await scheduler.check(target, 'command');
    expect(store.forLab('ann', lab).steps.map((s) => s.status)).toEqual(['done', 'done', 'todo']);
  });

  it('checks a done step again while the page shows it, and on open every done step: it may no longer hold', async () => {
    sandbox.passing.add('check a');
    await scheduler.check(target, 'command');
    sandbox.passing.delete('check a'); // the learner undid step 1
    const view = { viewStep: '01-a' };
    scheduler.watch('ann', lab, view);
    const again = await scheduler.check(target, 'command');
    expect(again.find((o) => o.step === '01-a')).toMatchObject({ passed: false });
    expect(store.forLab('ann', lab).steps[0]).toMatchObject({ status: 'done', lastCheck: { passed: false } });
    view.viewStep = '03-c';
    sandbox.runs.length = 0;
    await scheduler.check(target, 'open');
    expect(sandbox.runs.map((r) => r.script).sort()).toEqual(['check a', 'check b', 'check c']);
  });

  it('records the reason code a failing check reports, and keeps it out of the message', async () => {
    sandbox.reasons.set('check a', 'byte-order');
    const [o] = await scheduler.check(target, 'button', '01-a');
    expect(o).toMatchObject({ passed: false, reason: 'byte-order', message: 'check a: not yet' });
    expect(store.forLab('ann', lab).steps[0]!.lastCheck).toMatchObject({ reason: 'byte-order' });
  });

  it('never runs a check with side effects on the timer, and slows the timer down while nothing changes', async () => {
    vi.useFakeTimers();
    scheduler.close();
    const noisy = testLab('lab', { '01-a': 'check a', '02-b': 'check b' }, {}, [{ sideEffects: true }]);
    scheduler = makeScheduler();
    scheduler.watch('ann', noisy, {});
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(sandbox.runs).toEqual([]); // step 1's check makes test traffic: only commands and Check run it
    await scheduler.check({ ...target, lab: noisy }, 'command');
    expect(sandbox.runs).toHaveLength(1);

    scheduler.close();
    sandbox.runs.length = 0;
    scheduler = makeScheduler();
    scheduler.watch('ann', lab, {});
    await vi.advanceTimersByTimeAsync(POLL_MS * 20);
    // Unchanged results: 1, 2, 4, 8 intervals apart instead of every interval.
    expect(sandbox.runs.length).toBeLessThanOrEqual(6);
    expect(sandbox.runs.length).toBeGreaterThanOrEqual(3);
  });

  it('does not poll a page that is hidden', async () => {
    vi.useFakeTimers();
    scheduler.close();
    scheduler = makeScheduler();
    scheduler.watch('ann', lab, { hidden: true });
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(sandbox.runs).toEqual([]);
  });

  it('does not poll a page whose learner has no running sandbox', async () => {
    vi.useFakeTimers();
    scheduler.close();
    scheduler = makeScheduler(async () => undefined);
    scheduler.watch('ann', lab, {});
    await vi.advanceTimersByTimeAsync(POLL_MS * 3);
    expect(sandbox.runs).toEqual([]);
  });
});
