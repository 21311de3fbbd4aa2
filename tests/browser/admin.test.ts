// The instructor view in real Chromium, with two live learners: Ann in Chromium (named on the catalog, failing a
// check in sandbox-tour), Bea through the API in transparent-proxy. The instructor logs in with the token, sees both,
// watches Ann's terminal (read-only; her page says so), sends a message that Ann's page shows, and gives Ann a fresh
// sandbox that her page follows. Screenshot:
// test-results/admin-class-view.png.
import { expect, it } from 'vitest';
import { Client } from '@/scripts/harness/app-server';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, seriousA11yProblems, waitForScreen } from '../helpers/page';

const TOKEN = 'a-browser-test-instructor-token';
const VIEWPORT = { width: 1440, height: 900 };
const app = useAppInBrowser(undefined, { ADMIN_TOKEN: TOKEN });

it('shows two learners live, watches a terminal, broadcasts to a lab page and gives a learner a fresh sandbox the page follows', async () => {
  const { server, browser } = app;
  const ann = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await ann.goto(server.url);
  await ann.getByLabel('Your name for the instructor (optional)').fill('Ann A');
  await ann.getByRole('button', { name: 'Save' }).click();
  await ann.getByText('Shown to your instructor as "Ann A".').waitFor();
  await openLab(ann, server.url, 'sandbox-tour');
  // Nothing is pinned yet: the step's check fails with its reason.
  const failed = await ann.evaluate(async () => {
    const res = await fetch('/api/labs/sandbox-tour/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step: '01-pin-a-map' }) });
    return (await res.json()) as { passed: boolean; reason?: string };
  });
  expect(failed).toMatchObject({ passed: false, reason: 'not-pinned' });

  const bea = new Client(server.url);
  await bea.fetch('/');
  expect((await bea.fetch('/api/labs/transparent-proxy/sandbox', { method: 'POST' })).status).toBe(200);

  const instructor = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await instructor.goto(`${server.url}/admin`);
  await instructor.getByLabel('Instructor token').fill(TOKEN);
  await instructor.getByRole('button', { name: 'Log in' }).click();
  const learners = instructor.getByTestId('learners');
  const annRow = learners.getByRole('row').filter({ hasText: 'Ann A' });
  await annRow.getByText('not-pinned').waitFor({ timeout: 20_000 });
  await expect(annRow.getByTestId('step').textContent()).resolves.toMatch(/^1\/\d+ /);
  await learners.getByRole('row').filter({ hasText: /Transparent ingress/ }).getByTestId('sandbox').getByText(/running/).waitFor();
  await instructor.getByTestId('feed-state').getByText(/live/i).waitFor();

  // A read-only view of Ann's terminal: it shows what she types; her page says she is watched, until it closes.
  await annRow.getByRole('button', { name: 'Watch' }).click();
  await instructor.getByTestId('watch-state').getByText('watching').waitFor({ timeout: 10_000 });
  await ann.getByTestId('watched').waitFor({ timeout: 10_000 });
  await ann.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
  await ann.keyboard.type('echo seen-by-$((40+2))\n');
  await waitForScreen(ann, /^seen-by-42$/m);
  await expect
    .poll(() => instructor.locator('[data-testid="watch-screen"] .xterm-rows').innerText(), { timeout: 10_000 })
    .toMatch(/seen-by-42/);
  await expect(seriousA11yProblems(instructor)).resolves.toEqual([]);
  await instructor.screenshot({ path: 'test-results/admin-class-view.png', fullPage: true });
  await instructor.getByTestId('terminal-watch').getByRole('button', { name: 'Close' }).click();
  await ann.getByTestId('watched').waitFor({ state: 'detached', timeout: 10_000 });

  // A message to every lab page: Ann's shows it; once closed, a reload does not bring it back.
  await instructor.getByLabel('Message to every lab page').fill('Five more minutes on step 1, then we go on together.');
  await instructor.getByRole('button', { name: 'Send to everyone' }).click();
  const banner = ann.getByTestId('broadcast');
  await banner.getByText('Five more minutes on step 1').waitFor({ timeout: 10_000 });
  await banner.getByRole('button', { name: 'Close' }).click();
  await ann.reload();
  await ann.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 30_000 });
  await expect(ann.getByTestId('broadcast').count()).resolves.toBe(0);

  // A fresh sandbox for Ann, confirmed: her page says so, and her terminal is on the new sandbox.
  await waitForScreen(ann, /^sandbox:~#/m);
  await ann.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
  await ann.keyboard.type('touch /root/from-the-old-sandbox\n');
  await annRow.getByRole('button', { name: 'Fresh sandbox…' }).click();
  await instructor.getByRole('dialog').getByRole('button', { name: 'Give a fresh sandbox' }).click();
  await ann.getByTestId('sandbox-replaced').waitFor({ timeout: 60_000 });
  await ann.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 30_000 });
  await ann.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
  await ann.keyboard.type('ls /root/from-the-old-sandbox 2>&1 | tail -1\n');
  await waitForScreen(ann, /No such file or directory/);
}, 240_000);
