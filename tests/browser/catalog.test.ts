// The catalog in real Chromium: labs listed, a sandbox started and stopped from the page.
import { expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';

const app = useAppInBrowser();

it('lists the labs and starts and stops a sandbox for one', async () => {
  const { server, browser } = app;
  const page = await browser.newPage();
  await page.goto(server.url);
  const card = page.getByTestId('lab-sandbox-tour');
  await expect(card.getByRole('heading', { name: 'A tour of the sandbox' }).isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('proxy-kind').textContent()).resolves.toMatch(/^(HAProxy|Envoy)$/);

  await card.getByRole('button', { name: 'Start sandbox' }).click();
  await card.getByText(/sandbox running · proxy (HAProxy|Envoy)/).waitFor({ timeout: 30_000 });

  await card.getByRole('button', { name: 'Stop sandbox' }).click();
  await card.getByRole('button', { name: 'Start sandbox' }).waitFor({ timeout: 30_000 });
  await page.close();
});
