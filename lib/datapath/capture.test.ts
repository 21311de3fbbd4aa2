import { describe, expect, it } from 'vitest';
import { compareCaptures, comparisonPair, parseCaptureOutput, summariseTcpdump, type CaptureResult } from './capture';

const LO = `1764124800.000001 IP 127.0.0.6.40000 > 10.10.0.2.5201: Flags [S], seq 1, win 65495, options [mss 65495], length 0
1764124800.000002 IP 10.10.0.2.5201 > 127.0.0.6.40000: Flags [S.], seq 9, ack 2, win 65483, length 0
1764124800.000003 IP 127.0.0.6.40000 > 10.10.0.2.5201: Flags [.], ack 1, win 512, length 0
1764124800.000004 IP 127.0.0.6.40000 > 10.10.0.2.5201: Flags [P.], seq 1:37, ack 1, win 512, options [nop,nop,TS val 1 ecr 2], length 36
1764124800.000005 IP 127.0.0.6.40000 > 10.10.0.2.5201: Flags [.], seq 37:65573, ack 1, win 512, length 65536
1764124800.000006 IP6 ::1.5000 > ::1.6000: Flags [P.], seq 1:5, ack 1, win 512, length 4
tcpdump: verbose output suppressed
6 packets captured
12 packets received by filter
3 packets dropped by kernel
`;

describe('summariseTcpdump', () => {
  it('counts payload and control packets per flow, both directions together', () => {
    const s = summariseTcpdump('lo', LO, 2000);
    expect(s).toMatchObject({ name: 'lo', packets: 6, payloadPackets: 3, controlPackets: 3, payloadBytes: 65576, dropped: 3, hitLimit: false });
    expect(s.flows[0]).toEqual({ flow: '10.10.0.2:5201 ⇄ 127.0.0.6:40000', packets: 5, payloadPackets: 2, controlPackets: 3, payloadBytes: 65572 });
    expect(s.flows[1]!.flow).toBe('::1:5000 ⇄ ::1:6000');
    expect(s.firstLines).toHaveLength(6);
  });

  it('says when the packet limit cut the capture short', () => {
    expect(summariseTcpdump('lo', LO, 6).hitLimit).toBe(true);
  });

  it('reads an empty capture as zero, not as an error', () => {
    expect(summariseTcpdump('eth0', '0 packets captured\n', 100)).toMatchObject({ packets: 0, flows: [], firstLines: [] });
  });
});

describe('parseCaptureOutput', () => {
  it('splits the sections of lab-capture', () => {
    const out = parseCaptureOutput(`=== lo\n${LO}=== eth0\n0 packets captured\n`, 2000);
    expect(out.map((i) => [i.name, i.packets])).toEqual([['lo', 6], ['eth0', 0]]);
  });
});

const capture = (id: string, state: string | undefined, loPayload: number): CaptureResult => ({
  id, at: '', state, pod: 'server', seconds: 3, limit: 100,
  interfaces: [{ name: 'lo', packets: loPayload + 2, payloadPackets: loPayload, controlPackets: 2, payloadBytes: loPayload * 100, flows: [], firstLines: [], hitLimit: false, dropped: 0 }],
});

describe('comparisons', () => {
  it('compares the latest capture with the latest one in the other state', () => {
    const list = [capture('c3', 'acceleration on', 0), capture('c2', 'acceleration on', 1), capture('c1', 'acceleration off', 900)];
    const [before, after] = comparisonPair(list)!;
    expect([before.id, after.id]).toEqual(['c1', 'c3']);
    expect(compareCaptures(before, after)).toEqual([
      { name: 'lo', before: { payloadPackets: 900, controlPackets: 2, payloadBytes: 90000 }, after: { payloadPackets: 0, controlPackets: 2, payloadBytes: 0 } },
    ]);
  });

  it('without states compares the two latest, and needs two', () => {
    expect(comparisonPair([capture('b', undefined, 1), capture('a', undefined, 2)])!.map((c) => c.id)).toEqual(['a', 'b']);
    expect(comparisonPair([capture('a', 'x', 1)])).toBeUndefined();
    expect(comparisonPair([])).toBeUndefined();
  });
});
