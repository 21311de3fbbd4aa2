// The set-up every browser test file shares: the real app server and Debian's Chromium, started once per file,
// stopped afterwards with every sandbox the server created. With a viewport, also one page of that size; `env` sets
// the server's configuration.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '@/scripts/harness/browser';
import { startAppServer, type AppServer } from '@/scripts/harness/app-server';

export interface AppInBrowser {
  server: AppServer;
  browser: Browser;
  /** Set when a viewport was given. */
  page: Page;
}

export function useAppInBrowser(viewport?: { width: number; height: number }, env: Record<string, string> = {}): AppInBrowser {
  const app = {} as AppInBrowser;
  beforeAll(async () => {
    [app.server, app.browser] = await Promise.all([startAppServer(env), launchBrowser()]);
    if (viewport) app.page = await (await app.browser.newContext({ viewport })).newPage();
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.server?.stop();
    await app.server?.removeSandboxes();
  });
  return app;
}
