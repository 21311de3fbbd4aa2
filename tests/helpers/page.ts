// Helpers for driving the lab page in Chromium.
import type { Page } from 'playwright-core';

/** The visible text of a terminal tab, one line per row, xterm's non-breaking spaces made plain. */
export async function terminalScreen(page: Page, tab = 'sandbox'): Promise<string> {
  return (await page.locator(`[data-testid="terminal-${tab}"] .xterm-rows`).innerText())
    .split('\n')
    .map((l) => l.replace(/\u00a0/g, ' ').trimEnd())
    .join('\n');
}

export async function waitForScreen(page: Page, pattern: RegExp, tab = 'sandbox', timeout = 20_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeout;
  for (;;) {
    const m = (await terminalScreen(page, tab)).match(pattern);
    if (m) return m;
    if (Date.now() > until) throw new Error(`terminal never showed ${pattern}:\n${await terminalScreen(page, tab)}`);
    await page.waitForTimeout(100);
  }
}

/** Opens a lab page, starts the sandbox if this learner has none, and waits for the terminal's prompt. */
export async function openLab(page: Page, base: string, slug: string, prompt = /^sandbox:~#/m, tab = 'sandbox'): Promise<void> {
  await page.goto(`${base}/labs/${slug}`);
  const start = page.getByRole('button', { name: 'Start sandbox' });
  const connected = page.getByTestId('terminal-status').getByText('connected');
  await Promise.race([start.waitFor({ timeout: 30_000 }), connected.waitFor({ timeout: 30_000 })]);
  if (await start.isVisible()) await start.click();
  await connected.waitFor({ timeout: 60_000 });
  await waitForScreen(page, prompt, tab);
}
