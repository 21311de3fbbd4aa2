import { describe, expect, it } from 'vitest';
import { splitReason } from './reason';

describe('splitReason', () => {
  it('takes the reason line out of what the learner reads', () => {
    expect(splitReason('looking\n::reason byte-order\nThe ports are swapped.\n')).toEqual({ reason: 'byte-order', stdout: 'looking\nThe ports are swapped.\n' });
  });
  it('has no reason without the line, and ignores malformed ones', () => {
    expect(splitReason('All good.\n')).toEqual({ reason: undefined, stdout: 'All good.\n' });
    expect(splitReason('::reason Not A Code\n')).toEqual({ reason: undefined, stdout: '::reason Not A Code\n' });
  });
});
