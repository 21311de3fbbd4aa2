import { describe, expect, it } from 'vitest';
import { readableCaptureLines } from './capture-lines';

describe('readableCaptureLines', () => {
  it('turns tcpdump -tt epoch times into the time of day and the time since the first packet', () => {
    const lines = [
      '1796043299.840470 IP 10.10.0.1.40000 > 10.10.0.2.8080: Flags [S], seq 1, length 0',
      '1796043299.841970 IP 10.10.0.2.8080 > 10.10.0.1.40000: Flags [S.], seq 2, length 0',
      '1796043300.000001 IP 10.10.0.1.40000 > 10.10.0.2.8080: Flags [P.], length 64',
    ];
    expect(readableCaptureLines(lines, 'UTC')).toEqual([
      '12:54:59.840470    +0.000 ms IP 10.10.0.1.40000 > 10.10.0.2.8080: Flags [S], seq 1, length 0',
      '12:54:59.841970    +1.500 ms IP 10.10.0.2.8080 > 10.10.0.1.40000: Flags [S.], seq 2, length 0',
      '12:55:00.000001  +159.531 ms IP 10.10.0.1.40000 > 10.10.0.2.8080: Flags [P.], length 64',
    ]);
  });

  it('leaves lines without an epoch time as they are (tcpdump notices, a learner-made file)', () => {
    const lines = ['tcpdump: listening on eth0', '12.5 not a time', ''];
    expect(readableCaptureLines(lines, 'UTC')).toEqual(lines);
  });
});
