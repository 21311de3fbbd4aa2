// The drawing of a proxy's user-space hop: sparse dashes and its words when no payload crosses user space.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DatapathFrame } from '@/lib/datapath/frame';
import { DatapathSchema } from '@/lib/labs/schema';
import { DatapathDiagram } from './datapath-diagram';

const topology = DatapathSchema.parse({
  nodes: [
    { id: 'proxy', label: 'proxy', col: 0, row: 1 },
    { id: 'lo', label: 'lo', col: 1, row: 2 },
  ],
  edges: [{ from: 'proxy', to: 'lo', label: 'upstream socket', packets: 'if.server.lo.tx_packets', userSpace: 'map.splice_proxy_stats.3' }],
});
const frame = (payloadPerSecond: number): DatapathFrame => ({
  seq: 2, at: 0, dt: 0.5,
  values: { 'if.server.lo.tx_packets': 1, 'map.splice_proxy_stats.3': 1 },
  rates: { 'if.server.lo.tx_packets': 20000, 'map.splice_proxy_stats.3': payloadPerSecond },
  unavailable: {},
});

describe('DatapathDiagram', () => {
  it('draws the user-space hop bypassed, and says so, when its payload stands still', () => {
    const html = renderToStaticMarkup(<DatapathDiagram topology={topology} frame={frame(0)} />);
    expect(html).toMatch(/class="dp-edge dp-edge-active dp-edge-bypassed"[^>]*data-bypassed="true"/);
    expect(html).toContain('<title>upstream socket\n20k pkt/s\nno payload through user space\nif.server.lo.tx_packets</title>');
    expect(html).toContain('class="dp-edge-note">no payload through user space</text>');
  });

  it('draws it as any active edge while payload crosses user space', () => {
    const html = renderToStaticMarkup(<DatapathDiagram topology={topology} frame={frame(1e6)} />);
    expect(html).toMatch(/class="dp-edge dp-edge-active"[^>]*data-bypassed="false"/);
    expect(html).not.toContain('no payload through user space');
  });
});
