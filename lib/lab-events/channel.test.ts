import { describe, expect, it } from 'vitest';
import { LabEventChannel } from './channel';
import type { LabEvent } from './events';

const progress = (lab: string): LabEvent => ({ type: 'progress', progress: { lab, steps: [], doneCount: 0, skippedCount: 0, complete: false } });

describe('LabEventChannel', () => {
  it('delivers an event to every listener of that learner and lab, and to no one else', () => {
    const channel = new LabEventChannel();
    const got: string[] = [];
    channel.subscribe('ann', 'lab-a', () => got.push('ann/a 1'));
    channel.subscribe('ann', 'lab-a', () => got.push('ann/a 2'));
    channel.subscribe('ann', 'lab-b', () => got.push('ann/b'));
    channel.subscribe('bob', 'lab-a', () => got.push('bob/a'));
    channel.publish('ann', 'lab-a', progress('lab-a'));
    expect(got).toEqual(['ann/a 1', 'ann/a 2']);
  });

  it('stops delivering once unsubscribed, and forgets empty keys', () => {
    const channel = new LabEventChannel();
    const got: LabEvent[] = [];
    const stop = channel.subscribe('ann', 'lab-a', (e) => got.push(e));
    expect(channel.listenerCount('ann', 'lab-a')).toBe(1);
    stop();
    channel.publish('ann', 'lab-a', progress('lab-a'));
    expect(got).toEqual([]);
    expect(channel.listenerCount('ann', 'lab-a')).toBe(0);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const channel = new LabEventChannel();
    const got: string[] = [];
    channel.subscribe('ann', 'lab-a', () => {
      throw new Error('socket gone');
    });
    channel.subscribe('ann', 'lab-a', () => got.push('second'));
    channel.publish('ann', 'lab-a', progress('lab-a'));
    expect(got).toEqual(['second']);
  });

  it('broadcasts to every open page, and lets a tap see every published event', () => {
    const channel = new LabEventChannel();
    const got: string[] = [];
    channel.subscribe('ann', 'lab-a', (e) => got.push(`ann ${e.type}`));
    channel.subscribe('bob', 'lab-b', (e) => got.push(`bob ${e.type}`));
    const stop = channel.tap((learner, lab, e) => got.push(`tap ${learner}/${lab} ${e.type}`));
    channel.broadcast({ type: 'broadcast', message: 'break', at: 1 });
    channel.publish('bob', 'lab-b', progress('lab-b'));
    stop();
    channel.publish('ann', 'lab-a', progress('lab-a'));
    expect(got).toEqual(['ann broadcast', 'bob broadcast', 'bob progress', 'tap bob/lab-b progress', 'ann progress']);
  });
});
