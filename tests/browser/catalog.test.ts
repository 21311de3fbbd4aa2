// The catalog in real Chromium: labs listed, a sandbox started and stopped from the page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { startAppServer, type AppServer } from '../helpers/server';

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await server?.removeSandboxes();
});

it('lists the labs and starts and stops a sandbox for one', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  const card = page.getByTestId('lab-sandbox-tour');
  await expect(card.getByRole('heading', { name: 'A tour of the sandbox' }).isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('proxy-kind').textContent()).resolves.toMatch(/haproxy|envoy/);

  await card.getByRole('button', { name: 'Start sandbox' }).click();
  await card.getByText(/sandbox running · proxy (haproxy|envoy)/).waitFor({ timeout: 30_000 });

  await card.getByRole('button', { name: 'Stop sandbox' }).click();
  await card.getByRole('button', { name: 'Start sandbox' }).waitFor({ timeout: 30_000 });
  await page.close();
});
