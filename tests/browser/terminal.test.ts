// The terminal in real Chromium: type, read, reload into the same shell, and a cross-site page refused.
import http from 'node:http';
import os from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab as openLabAt, terminalScreen, waitForScreen } from '../helpers/page';

const app = useAppInBrowser();

const screen = (page: Page) => terminalScreen(page);
const openLab = (page: Page) => openLabAt(page, app.server.url, 'sandbox-tour');

describe('the terminal', () => {
  it('runs uname -r in the sandbox, and after a reload it is the same shell with its output', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1300, height: 850 } });
    const page = await context.newPage();
    await openLab(page);

    await page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await page.keyboard.type('uname -r\n');
    await waitForScreen(page, new RegExp(`^${os.release().replace(/\./g, '\\.')}$`, 'm'));
    await page.keyboard.type('echo "shell pid $$"\n');
    const [, pid] = await waitForScreen(page, /^shell pid (\d+)$/m);

    await page.reload();
    await page.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 30_000 });
    // The earlier output is back on screen...
    await waitForScreen(page, new RegExp(`^shell pid ${pid}$`, 'm'));
    expect(await screen(page)).toContain(os.release());
    // ...and it is the same shell.
    await page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await page.keyboard.type('echo "again $$"\n');
    await waitForScreen(page, new RegExp(`^again ${pid}$`, 'm'));
    await context.close();
  });

  it('copies the selection with Ctrl+Shift+C and pastes with Ctrl+Shift+V', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1300, height: 850 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await openLab(page);
    const surface = page.locator('[data-testid="terminal-sandbox"] .terminal-surface');
    await surface.click();
    await page.keyboard.type('clear; echo CLIP-$((3*3))-BOARD\n');
    await waitForScreen(page, /^CLIP-9-BOARD$/m);
    // Select all, copy, and read the clipboard.
    await surface.click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Select all/ }).click();
    await page.keyboard.press('Control+Shift+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('CLIP-9-BOARD');
    // Paste through the browser's own paste event.
    await page.evaluate(() => navigator.clipboard.writeText('echo PASTED-$((5+5))'));
    await surface.click();
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await waitForScreen(page, /^PASTED-10$/m);
    await context.close();
  });
});

describe('cross-site WebSocket hijacking', () => {
  let evil: http.Server;
  let evilUrl: string;
  beforeAll(async () => {
    // A page on another origin (same host, other port: same site, so the browser does send the cookie).
    evil = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<script>
        const ws = new WebSocket(${JSON.stringify(app.server.url.replace('http', 'ws'))} + '/ws/terminal?lab=sandbox-tour&tab=sandbox');
        window.result = new Promise((resolve) => {
          let got = 0;
          ws.onmessage = () => got++;
          ws.onclose = (e) => resolve({ code: e.code, messages: got });
        });
      </script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    evilUrl = `http://127.0.0.1:${(evil.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => evil.close(r)));

  it('refuses the upgrade even though the learner cookie is sent along', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await openLab(page); // the learner cookie and a running sandbox
    await page.goto(evilUrl);
    const result = await page.evaluate(() => (window as unknown as { result: Promise<{ code: number; messages: number }> }).result);
    expect(result).toEqual({ code: 1006, messages: 0 });
    expect(app.server.output.join('')).toMatch(/refused a cross-origin terminal upgrade/);
    await context.close();
  });
});
