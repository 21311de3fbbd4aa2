import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { LabEventChannel } from '../lab-events/channel';
import type { LabEvent } from '../lab-events/events';
import { silentLogger } from '../log';
import type { DatapathFrame } from './frame';
import { DatapathHub, samplerArgv } from './hub';

const line = (seq: number, tMs: number, m: Record<string, number>) => JSON.stringify({ seq, t_ms: tMs, m, na: {} });
const flush = () => new Promise((r) => setImmediate(r));

const s1 = { learner: 'ann', lab: 'lab', sandboxId: 's1' };

/** A page of ann's lab: what it receives on the channel. */
function page(channel: LabEventChannel) {
  const frames: DatapathFrame[] = [];
  const errors: string[] = [];
  channel.subscribe('ann', 'lab', (e: LabEvent) => {
    if (e.type === 'datapath') frames.push(e.frame);
    if (e.type === 'datapath-error') errors.push(e.message);
  });
  return { frames, errors };
}

function setup() {
  const driver = new FakeDriver();
  const channel = new LabEventChannel();
  const hub = new DatapathHub({ driver: async () => driver, events: channel, log: silentLogger, stopGraceMs: 1000 });
  const { frames, errors } = page(channel);
  return { driver, hub, channel, frames, errors };
}

afterEach(() => vi.useRealTimers());

describe('DatapathHub', () => {
  it('runs one sampler per sandbox for all watchers and computes rates', async () => {
    const { driver, hub, channel, frames } = setup();
    const other = page(channel).frames;
    hub.watch(s1, [15006]);
    hub.watch(s1, [15006]);
    await flush();
    expect(driver.streams).toHaveLength(1);
    expect(driver.streams[0]!.argv.slice(-4)).toEqual(['--interval-ms', '500', '--port', '15006']);
    driver.streams[0]!.emit(line(1, 0, { 'if.server.lo.tx_bytes': 100 }));
    driver.streams[0]!.emit('garbage');
    driver.streams[0]!.emit(line(2, 500, { 'if.server.lo.tx_bytes': 600 }));
    expect(frames.map((f) => f.rates['if.server.lo.tx_bytes'])).toEqual([undefined, 1000]);
    expect(other).toHaveLength(2);
  });

  it('gives a late watcher the latest frame at once', async () => {
    const { driver, hub, channel } = setup();
    hub.watch(s1, []);
    await flush();
    driver.streams[0]!.emit(line(1, 0, { a: 1 }));
    const late = page(channel).frames;
    hub.watch(s1, []);
    expect(late.map((f) => f.seq)).toEqual([1]);
  });

  it('stops the sampler only after the last watcher left and the grace period passed', async () => {
    vi.useFakeTimers();
    const { driver, hub } = setup();
    const off = hub.watch(s1, []);
    await vi.runOnlyPendingTimersAsync();
    off();
    await vi.advanceTimersByTimeAsync(500);
    // Back within the grace period: the same sampler goes on.
    const off2 = hub.watch(s1, []);
    await vi.advanceTimersByTimeAsync(2000);
    expect(driver.streams).toHaveLength(1);
    expect(driver.streams[0]!.stopped).toBe(false);
    off2();
    await vi.advanceTimersByTimeAsync(1001);
    expect(driver.streams[0]!.stopped).toBe(true);
    expect(hub.running()).toEqual([]);
  });

  it('restarts a sampler that died while watched, then gives up with a message', async () => {
    vi.useFakeTimers();
    const { driver, hub, errors } = setup();
    hub.watch(s1, []);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 4; i++) {
      driver.streams.at(-1)!.exit('datapath-sampler: boom');
      await vi.advanceTimersByTimeAsync(1100);
    }
    expect(driver.streams).toHaveLength(4);
    expect(errors).toEqual([expect.stringContaining('keeps stopping (datapath-sampler: boom)')]);
    expect(hub.running()).toEqual([]);
  });

  it('tells watchers when the sandbox is removed', async () => {
    const { driver, hub, errors } = setup();
    hub.watch(s1, []);
    await flush();
    hub.closeSandbox('s1');
    expect(driver.streams[0]!.stopped).toBe(true);
    expect(errors).toEqual(['The sandbox was removed.']);
  });

  it('builds the sampler command line', () => {
    expect(samplerArgv([15006, 5201], 250)).toEqual([
      'bash', '-c', expect.stringContaining('exec /opt/ebpf-labs/bin/datapath-sampler "$@"'), 'datapath-sampler',
      '--interval-ms', '250', '--port', '15006', '--port', '5201',
    ]);
  });
});
