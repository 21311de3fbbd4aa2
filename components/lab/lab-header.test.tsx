// The header's sandbox badge names the proxy the learner's sandbox uses: the image's, or the lab's own.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LabHeader } from './lab-header';

const running = { state: 'running' as const, sandbox: { id: 'ebpf-labs-1', proxy: 'haproxy', createdAt: '2026-11-30T00:00:00Z' } };
const header = (labProxy?: string) =>
  renderToStaticMarkup(<LabHeader title="A lab" done={0} total={3} status={running} labProxy={labProxy} onReset={() => undefined} onStop={() => undefined} />);

describe('LabHeader', () => {
  it("names the image's proxy by its name", () => {
    expect(header()).toContain('HAProxy');
  });

  it("names the lab's own proxy, never the image's one it stopped", () => {
    const html = header('splice-proxy');
    expect(html).toMatch(/proxy <\/span>splice-proxy/);
    expect(html).toContain("this lab runs splice-proxy in place of the image&#x27;s HAProxy");
    expect(html).not.toMatch(/proxy <\/span>HAProxy/);
  });
});
