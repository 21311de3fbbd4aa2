// The Benchmarks pane of a lab with its own modes (proxy-splicing: direct, copy, splice, sockmap against copy), in
// real Chromium: the sandbox brought to the benchmark's step by the reference solutions, a short run from the pane,
// and what a learner then sees: the lab's modes in its order, ratios to its reference mode, the share of copy's tax
// each mode removes, every sample's datapath verified, the exports; none of the acceleration lab's vocabulary.
// Screenshots of the pane at 1024x768 and 1440x900 are kept in test-results/.
import { mkdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { loadLabs } from '@/lib/labs/loader';
import { applySolutions } from '@/lib/labs/setup';
import { connectSandboxEngine } from '@/lib/sandbox/engine';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, seriousA11yProblems } from '../helpers/page';

const app = useAppInBrowser({ width: 1440, height: 900 });
const LAB = 'proxy-splicing';
const MODES = ['direct', 'copy', 'splice', 'sockmap'];
/** The acceleration lab's words: its modes, its proxies, its "acceleration". */
const OTHER_LAB = /proxy\+accel|accelerat|HAProxy|Envoy/i;

/** The sandbox the server started for this page, brought to the end of the benchmark's step by the solutions. */
async function bringToBenchmarkStep(instance: string): Promise<void> {
  const config = loadConfig({ ...process.env, EBPF_LABS_INSTANCE: instance });
  const [{ driver }, { labs }] = await Promise.all([connectSandboxEngine(config), loadLabs(config.labsDir)]);
  const lab = labs.find((l) => l.slug === LAB)!;
  const [sandbox] = (await driver.list()).filter((s) => s.lab === LAB && s.purpose !== 'pool' && s.running);
  expect(sandbox, 'the page started a sandbox').toBeDefined();
  await applySolutions(driver, sandbox!.id, lab, lab.meta.benchmark!.after);
}

it('runs the lab’s own modes from the pane and shows them as the lab names and orders them', async () => {
  const { server, page } = app;
  await openLab(page, server.url, LAB);
  await page.getByRole('tab', { name: 'Benchmarks' }).click();
  const pane = page.getByTestId('bench-pane');
  await pane.waitFor();
  // Before any run: the lab's modes to choose from, in its order, and what the defaults would do.
  await expect(pane.locator('fieldset', { hasText: 'Modes' }).locator('label').allTextContents()).resolves.toEqual(MODES.map((m) => ` ${m}`));
  await pane.getByText('No benchmark yet.').waitFor();
  expect(await pane.innerText()).not.toMatch(OTHER_LAB);

  await bringToBenchmarkStep(server.instance);

  // The smallest run the pane allows: every mode, one size, one repetition, one second per tool.
  for (const size of ['1 KiB', '16 KiB', '128 KiB']) await pane.getByLabel(size, { exact: true }).uncheck();
  await pane.getByLabel('repetitions').fill('1');
  await pane.getByLabel('seconds per tool').fill('1');
  // Ticked again: the learner's order of ticking is not the lab's order.
  await pane.getByLabel('copy', { exact: true }).uncheck();
  await pane.getByLabel('copy', { exact: true }).check();
  await pane.getByRole('button', { name: 'Run benchmark' }).click();
  await page.getByTestId('bench-progress').waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('bench-progress').textContent()).resolves.toMatch(/\d\/4: (direct|copy|splice|sockmap), 64 B, repetition 1/);
  const result = page.locator('[data-testid="bench-result"][data-status="done"]');
  await result.waitFor({ timeout: 120_000 });
  await page.getByTestId('chart-latencyP50Us').locator('svg').first().waitFor();

  // The table: one row per mode, in the lab's order, named as the lab names them.
  const table = page.getByTestId('bench-table');
  const rows = table.locator('tbody tr');
  await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-mode')))).resolves.toEqual(MODES);
  await expect(rows.locator('td:nth-child(2)').allTextContents()).resolves.toEqual(MODES);
  // The legend of every chart: the same modes in the same order, each in its own colour.
  for (const metric of ['throughputGbps', 'latencyP50Us']) {
    const legend = page.getByTestId(`chart-${metric}`).locator('.recharts-legend-item');
    await expect(legend.locator('.recharts-legend-item-text').allTextContents()).resolves.toEqual(MODES);
    const colours = await legend.locator('path.recharts-legend-icon, .recharts-surface path').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
    expect(new Set(colours).size, `legend colours ${colours.join(' ')}`).toBe(MODES.length);
  }

  // 64 B through a proxy moves about 0.01 Gbit/s: two significant digits, not "0.01" for every mode.
  for (const cell of await rows.locator('td:nth-child(3)').allTextContents()) expect(cell).not.toMatch(/^0\.0\d /);

  // Ratios to the lab's reference mode (copy), beside the ratios to direct: copy against itself is 1.
  const headings = await table.locator('thead th').allTextContents();
  expect(headings).toContain('× copy');
  const refColumn = headings.indexOf('× copy') + 1;
  const ratioToCopy = await rows.locator(`td:nth-child(${refColumn})`).allTextContents();
  expect(ratioToCopy[1]).toBe('1.00');
  for (const r of ratioToCopy) expect(r).toMatch(/^\d+\.\d\d$/);

  // The share of copy's tax each mode removes, per size, as npm run bench prints it; and sockmap against copy.
  const foot = await table.locator('tfoot').innerText();
  expect(foot).toMatch(/64 B: sockmap against copy changes p50 latency by [−+]\d+% \((-?\d+%|–) of copy's latency tax\)/);
  expect(foot).toMatch(/64 B: share of copy's tax removed \(p50 latency, throughput\): splice (-?\d+%|–), (-?\d+%|–) · sockmap (-?\d+%|–), (-?\d+%|–)/);

  // Every sample's datapath verified, and what was verified: sockmap redirected and the proxy read no payload;
  // copy and splice went through the proxy's user space, nothing redirected.
  const datapathColumn = (await table.locator('thead th').allTextContents()).indexOf('datapath') + 1;
  expect(datapathColumn).toBeGreaterThan(0);
  const datapath = rows.locator(`td:nth-child(${datapathColumn})`);
  await expect(datapath.allTextContents()).resolves.toEqual(MODES.map(() => 'verified 1/1'));
  const titles = await datapath.evaluateAll((tds) => tds.map((td) => td.getAttribute('title') ?? ''));
  expect(titles[3]).toMatch(/[1-9]\d* redirected.*\b0 payload reads by the proxy/);
  expect(titles[1]).toMatch(/\b0 redirected.*[1-9]\d* payload reads by the proxy/);

  // Where it ran: kernel, CPUs, the proxy (its name is the sandbox's to say), pinning, whose build the lab's
  // accelerated mode ran.
  const facts = await page.getByTestId('bench-run-facts').innerText();
  expect(facts).toMatch(/kernel \S+ · \d+ CPUs · proxy [^·]+ · pinned to CPU \d+ · sockmap from the workspace build/);
  // Nothing of the acceleration lab besides the environment line (whose proxy name the sandbox reports).
  expect((await pane.innerText()).replace(facts, '')).not.toMatch(OTHER_LAB);

  // The exports: every sample with its proxy reads in the CSV; the JSON names the lab's reference and accelerated modes.
  const csvHref = await pane.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const csv = (await (await page.request.get(server.url + csvHref)).text()).trim().split('\n');
  const column = (name: string) => csv[0]!.split(',').indexOf(name);
  expect(column('proxy_reads')).toBeGreaterThan(0);
  const sockmap = csv.slice(1).map((l) => l.split(',')).find((l) => l[column('mode')] === 'sockmap')!;
  expect(sockmap[column('proxy_reads')]).toBe('0');
  expect(Number(sockmap[column('redirected')])).toBeGreaterThan(0);
  expect(csv.slice(1).map((l) => l.split(',')[column('datapath_ok')])).toEqual(MODES.map(() => 'true'));
  const json = await (await page.request.get(server.url + (await pane.getByRole('link', { name: 'JSON' }).getAttribute('href')))).json();
  expect(json.summary.roles).toEqual({ direct: 'direct', reference: 'copy', accelerated: 'sockmap' });

  expect(await seriousA11yProblems(page)).toEqual([]);
  // The pane given the whole page, as a learner reads a result, at a laptop's size and a desktop's; the table fits.
  mkdirSync('test-results', { recursive: true });
  await page.getByRole('button', { name: 'Maximise' }).click();
  for (const [width, height] of [
    [1024, 768],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect(table.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth + 1)).resolves.toBe(true);
    await page.screenshot({ path: `test-results/bench-${LAB}-${width}x${height}.png` });
    // The pane scrolls inside the page: the table and its figures below the charts, in a second picture.
    await table.locator('tfoot').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/bench-${LAB}-${width}x${height}-table.png` });
    await table.evaluate((t) => t.closest('.tool-panel')?.scrollTo(0, 0));
  }
}, 420_000);
