// The Datapath pane in real Chromium: the topology renders, its numbers move while traffic runs, the pane says which
// counters are missing (nothing loaded yet), and a capture shows its payload/control summary. A screenshot of the
// pane with traffic flowing is kept in test-results/.
import { mkdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, waitForScreen } from '../helpers/page';

const app = useAppInBrowser({ width: 1500, height: 1100 });

/** The page and the diagram alone, with the pane scrolled to its top (test artifacts, not compared). */
async function shoot(name: string) {
  mkdirSync('test-results', { recursive: true });
  await app.page.locator('.tools-pane').evaluate((el) => el.scrollTo(0, 0));
  await app.page.screenshot({ path: `test-results/${name}.png` });
  await app.page.locator('svg.dp-diagram').screenshot({ path: `test-results/${name}-diagram.png` });
}

it('shows the packet path with live rates, missing counters, and a capture', async () => {
  const { server, page } = app;
  await openLab(page, server.url, 'proxy-acceleration', /^client:~#/m, 'client');
  await page.getByRole('tab', { name: 'Datapath' }).click();
  const pane = page.getByTestId('datapath-pane');
  await page.locator('[data-testid="datapath-pane"][data-status="live"]').waitFor({ timeout: 20_000 });
  for (const node of ['client', 'redirect', 'proxy', 'lo', 'app']) await pane.getByTestId(`dp-node-${node}`).waitFor();

  // Nothing loaded yet: the shortcut and the BPF counters say so instead of showing zeros.
  const shortcut = pane.getByTestId('dp-edge-proxy-app-shortcut');
  await expect(shortcut.locator('.dp-edge-rate').textContent()).resolves.toBe('n/a');
  await expect(pane.getByTestId('dp-counter-map.accel_stats.1').textContent()).resolves.toMatch(/no counters yet \(step 05\)/);

  // Traffic from the client pod's terminal: the veth and lo edges light up with rates.
  await page.locator('[data-testid="terminal-client"] .terminal-surface').click();
  await page.keyboard.type('iperf3 -c 10.10.0.2 -t 6\n');
  const veth = pane.getByTestId('dp-edge-client-redirect');
  await pane.locator('[data-testid="dp-edge-client-redirect"][data-active="true"]').waitFor({ timeout: 10_000 });
  await pane.locator('[data-testid="dp-edge-proxy-lo"][data-active="true"]').waitFor({ timeout: 5_000 });
  const first = Number(await veth.getAttribute('data-rate'));
  const proxyConns = pane.getByTestId('dp-counter-tcp.server.15006.established');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="dp-counter-tcp.server.15006.established"]')?.getAttribute('data-value')) >= 2);
  await page.waitForTimeout(1200);
  const second = Number(await veth.getAttribute('data-rate'));
  expect(first).toBeGreaterThan(50);
  expect(second).toBeGreaterThan(1000); // steady state: thousands of packets per second
  expect(second).not.toBe(first); // the numbers move
  await expect(veth.locator('.dp-edge-rate').textContent()).resolves.toMatch(/^[\d.]+k? pkt\/s$/);
  await expect(veth.locator('.dp-edge-bits').textContent()).resolves.toMatch(/^[\d.]+[kMG]?bit\/s$/);
  await expect(proxyConns.textContent()).resolves.toMatch(/\d/);
  await shoot('datapath-pane');

  // After the run the edges go idle again.
  await pane.locator('[data-testid="dp-edge-client-redirect"][data-active="false"]').waitFor({ timeout: 15_000 });

  // A capture with test traffic: a summary per interface, with payload and control packets.
  await pane.getByRole('button', { name: 'Capture' }).click();
  const result = pane.getByTestId('dp-capture-result');
  await result.waitFor({ timeout: 20_000 });
  await expect(result.getAttribute('data-state')).resolves.toBe('acceleration off');
  expect(Number(await pane.getByTestId('dp-capture-lo').getAttribute('data-payload'))).toBeGreaterThan(100);
  await expect(pane.getByTestId('dp-capture-lo').locator('pre').textContent()).resolves.toMatch(/Flags \[/);
  // Times as the learner reads them: time of day and time since the first packet, not seconds since 1970.
  const lines = (await pane.getByTestId('dp-capture-lo').locator('pre').textContent()) ?? '';
  expect(lines).toMatch(/^\d\d:\d\d:\d\d\.\d{6} +\+0\.000 ms IP/);
  expect(lines).not.toMatch(/^\d{10}\.\d{6} /m);

  // Acceleration on: traffic takes the sockmap shortcut, the loopback hop goes quiet, and the capture compares.
  await page.locator('[data-testid="terminal-client"] .terminal-surface').click();
  await page.keyboard.type('accelctl on && iperf3 -c 10.10.0.2 -t 5\n');
  await waitForScreen(page, /acceleration on: sk_msg/, 'client');
  await pane.locator('[data-testid="dp-edge-proxy-app-shortcut"][data-active="true"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(1100); // two frames inside the run
  await expect(pane.getByTestId('dp-edge-proxy-lo').getAttribute('data-active')).resolves.toBe('false');
  await expect(pane.getByTestId('dp-edge-client-redirect').getAttribute('data-active')).resolves.toBe('true');
  await shoot('datapath-pane-accelerated');
  await waitForScreen(page, /iperf Done\./, 'client', 15_000);
  await pane.getByRole('button', { name: 'Capture' }).click();
  await pane.locator('[data-testid="dp-capture-result"][data-state="acceleration on"]').waitFor({ timeout: 20_000 });
  const lo = pane.getByTestId('dp-compare-lo');
  expect(Number(await lo.getAttribute('data-before'))).toBeGreaterThan(100);
  expect(Number(await lo.getAttribute('data-after'))).toBeLessThan(5);
  await expect(pane.getByTestId('dp-compare').locator('caption').textContent()).resolves.toMatch(/acceleration off → after: .*acceleration on/);
});
