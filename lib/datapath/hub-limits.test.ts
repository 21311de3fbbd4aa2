// The hub with a sampler that misbehaves: past its stream limits, or printing lines that are not samples.
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { LabEventChannel } from '../lab-events/channel';
import { silentLogger } from '../log';
import type { LineLimits, LineStreamHandlers } from '../sandbox/types';
import { DatapathHub, SAMPLER_LIMITS, SAMPLER_PATH } from './hub';

const flush = () => new Promise((r) => setImmediate(r));

/** A driver whose streams expose their handlers and limits, so a test can end one as the real driver would. */
class LimitedDriver extends FakeDriver {
  handlers: LineStreamHandlers[] = [];
  limits: (Partial<LineLimits> | undefined)[] = [];
  override async streamLines(id: string, argv: string[], handlers: LineStreamHandlers, limits?: Partial<LineLimits>) {
    this.handlers.push(handlers);
    this.limits.push(limits);
    return super.streamLines(id, argv, handlers);
  }
}

function setup() {
  const driver = new LimitedDriver();
  const channel = new LabEventChannel();
  const errors: string[] = [];
  let frames = 0;
  channel.subscribe('ann', 'lab', (e) => {
    if (e.type === 'datapath-error') errors.push(e.message);
    if (e.type === 'datapath') frames++;
  });
  const hub = new DatapathHub({ driver: async () => driver, events: channel, log: silentLogger, stopGraceMs: 1000 });
  hub.watch({ learner: 'ann', lab: 'lab', sandboxId: 's1' }, []);
  return { driver, hub, errors, frames: () => frames };
}

describe('DatapathHub with a sampler that misbehaves', () => {
  it('runs the sampler within its limits', async () => {
    const { driver } = setup();
    await flush();
    expect(driver.limits).toEqual([SAMPLER_LIMITS]);
  });

  it('tells the page what the sampler did when it passed a limit, and does not restart it', async () => {
    const { driver, hub, errors } = setup();
    await flush();
    driver.handlers[0]!.onExit('', { kind: 'line-too-long', limitBytes: 64 * 1024 });
    expect(errors).toEqual([`The datapath sampler printed a line longer than 64 KiB: stopped. Reset the lab if you replaced ${SAMPLER_PATH}.`]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(driver.streams).toHaveLength(1);
    expect(hub.running()).toEqual([]);
  });

  it('drops lines that are not samples, and gives up after ten in a row, quoting the last', async () => {
    const { driver, hub, errors, frames } = setup();
    await flush();
    const s = driver.streams[0]!;
    for (let i = 0; i < 9; i++) s.emit(i % 2 ? 'null' : '{"seq":"x"');
    s.emit(JSON.stringify({ seq: 1, t_ms: 0, m: { a: 1 }, na: {} })); // a good one resets the count
    for (let i = 0; i < 9; i++) s.emit('[1,2,3]');
    expect(errors).toEqual([]);
    expect(frames()).toBe(1);
    s.emit('\u0000binary\u0007 garbage that goes on and on and on and on and on');
    expect(errors).toEqual([
      `The datapath sampler printed 10 lines that are not samples (the last: "?binary? garbage that goes on and on and..."): stopped. Reset the lab if you replaced ${SAMPLER_PATH}.`,
    ]);
    expect(s.stopped).toBe(true);
    expect(hub.running()).toEqual([]);
  });
});
