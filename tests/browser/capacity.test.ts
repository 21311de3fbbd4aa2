// A full server in real Chromium: the second learner waits in line with their place shown; the first learner's
// unused sandbox is stopped after a warning (progress kept, and the page says why), and the second one's page then
// starts its sandbox by itself.
import { expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, waitForScreen } from '../helpers/page';

const LAB = 'sandbox-tour';
const app = useAppInBrowser(undefined, { MAX_SANDBOXES: '1', SANDBOX_IDLE_MINUTES: '0.3', SANDBOX_IDLE_WARNING_MINUTES: '0.15' });

it('puts the next learner in line, warns the idle one, stops its sandbox, and starts the next one by itself', async () => {
  const first = await (await app.browser.newContext({ viewport: { width: 1360, height: 880 } })).newPage();
  await openLab(first, app.server.url, LAB);
  await first.getByRole('button', { name: /Show a hint/ }).click();
  await first.locator('.step-hints .hint').first().waitFor();

  const second = await (await app.browser.newContext({ viewport: { width: 1360, height: 880 } })).newPage();
  await second.goto(`${app.server.url}/labs/${LAB}`);
  await second.getByRole('button', { name: 'Start sandbox' }).click();
  const waiting = second.getByTestId('sandbox-waiting');
  await waiting.waitFor({ timeout: 10_000 });
  await expect(waiting.getAttribute('data-position')).resolves.toBe('1');
  await expect(waiting.textContent()).resolves.toMatch(/number 1 in line/);

  // Nobody touches the first page: it is warned, then its sandbox is stopped; the hint it revealed stays.
  const banner = first.getByTestId('idle-banner');
  await banner.waitFor({ timeout: 20_000 });
  await expect(banner.textContent()).resolves.toMatch(/will be stopped in \d+:\d\d/);
  await first.getByTestId('sandbox-stopped').waitFor({ timeout: 30_000 });
  await expect(first.getByTestId('sandbox-stopped').textContent()).resolves.toMatch(/was stopped after (less than a minute|\d+ minutes?) without use.*progress is kept/);
  await first.screenshot({ path: 'test-results/sandbox-stopped-idle.png' });

  // The second page got the freed slot without a click.
  await second.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 60_000 });
  await waitForScreen(second, /^sandbox:~#/m);

  await first.reload();
  await first.locator('.step-hints .hint').first().waitFor();
});
