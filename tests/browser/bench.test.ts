// The Benchmarks pane in real Chromium: run a small benchmark from the page, follow it, see its charts and table,
// export it.
import { expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab } from '../helpers/page';

const app = useAppInBrowser({ width: 1500, height: 1000 });

it('runs a benchmark from the page, shows progress, charts, the table, exports, cancels and compares', async () => {
  const { server, page } = app;
  // Step 1 opens on the client pod's tab (the step names it).
  await openLab(page, server.url, 'proxy-acceleration', /^client:~#/m, 'client');
  await page.getByRole('tab', { name: 'Benchmarks' }).click();
  const pane = page.getByTestId('bench-pane');
  await pane.waitFor();
  // The smallest useful run: one size, one repetition, one second per tool, all three modes.
  for (const size of ['1 KiB', '16 KiB', '128 KiB']) await pane.getByLabel(size, { exact: true }).uncheck();
  await pane.getByLabel('repetitions').fill('1');
  await pane.getByLabel('seconds per tool').fill('1');
  await pane.getByRole('button', { name: 'Run benchmark' }).click();

  await page.getByTestId('bench-progress').waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('bench-progress').textContent()).resolves.toMatch(/\d\/3: (direct|proxy|proxy\+accel), 64 B, repetition 1/);
  await page.locator('[data-testid="bench-result"][data-status="done"]').waitFor({ timeout: 90_000 });
  // When it started, as people say it, with the exact date and time on hover (and for machines).
  const started = page.getByTestId('bench-run-facts').locator('time');
  await expect(started.textContent()).resolves.toMatch(/^(just now|\d+ min ago)$/);
  await expect(started.getAttribute('title')).resolves.toMatch(/\d{4}.*\d{1,2}:\d{2}:\d{2}/);
  await expect(started.getAttribute('datetime')).resolves.toMatch(/^\d{4}-\d{2}-\d{2}T/);

  const rows = page.getByTestId('bench-table').locator('tbody tr');
  await expect(rows.count()).resolves.toBe(3);
  await expect(rows.nth(2).getAttribute('data-mode')).resolves.toBe('proxy+accel');
  await page.getByTestId('chart-latencyP50Us').locator('svg').first().waitFor();
  // Relative to direct: every size on one scale, in multiples of direct. Which ticks the axis shows depends on the
  // measured ratios (a proxy+accel run above 1.0 gives 0, 0.4, ... 1.6): wait for the unit, not for one tick.
  await pane.getByLabel('relative to direct').check();
  await page.getByTestId('chart-throughputGbps').locator('svg text', { hasText: /^\d+(\.\d+)? ×$/ }).first().waitFor({ timeout: 5_000 });
  await expect(page.getByTestId('bench-table').locator('tfoot').textContent()).resolves.toMatch(/64 B: proxy\+accel against proxy changes p50 latency by/);

  const csvHref = await pane.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const csv = await (await page.request.get(server.url + csvHref)).text();
  const lines = csv.trim().split('\n');
  expect(lines[0]).toMatch(/^run,index,rep,mode,size,gbps/);
  expect(lines).toHaveLength(4);
  expect(lines.slice(1).every((l) => l.includes(',true,'))).toBe(true); // every sample's datapath verified
  const json = await (await page.request.get(server.url + (await pane.getByRole('link', { name: 'JSON' }).getAttribute('href')))).json();
  expect(json.summary.cells).toHaveLength(3);
  expect(json.run.environment).toMatchObject({ proxy: expect.stringMatching(/haproxy|envoy/), pinning: expect.any(String) });

  // A second run, cancelled while it measures: it stops, says so, and a new run can start.
  await pane.getByRole('button', { name: 'Run benchmark' }).click();
  await page.getByTestId('bench-progress').waitFor({ timeout: 30_000 });
  await page.getByTestId('bench-progress').getByRole('button', { name: 'Cancel' }).click();
  await page.locator('[data-testid="bench-result"][data-status="cancelled"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('bench-progress').waitFor({ state: 'detached' });
  await expect(pane.getByRole('button', { name: 'Run benchmark' }).isEnabled()).resolves.toBe(true);

  // Compare the cancelled run with the finished one.
  await pane.getByLabel('compare with').selectOption({ index: 1 });
  await page.getByTestId('bench-compare').waitFor();
  await expect(page.getByTestId('bench-compare').locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(1);
});
