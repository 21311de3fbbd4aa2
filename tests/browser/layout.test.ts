// The lab page's layout and accessibility in real Chromium, at 1024x768 and 1440x900: the header on one line, no
// text under 11 px (the datapath diagram's labels included), no serious or critical axe-core finding on the catalog
// or on the lab page with each tool shown; the splits, the tool and the editor's file and cursor remembered over a
// reload; the tools maximised and restored; a step opens at its top; wide code blocks scroll sideways. Screenshots
// of each pane at both sizes are kept in test-results/ (layout-<pane>-<width>x<height>.png).
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { headerLayoutProblems, openLab, seriousA11yProblems, smallestDiagramLabel, textSmallerThan } from '../helpers/page';

const LAB = 'proxy-acceleration';
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
];
const TOOLS = ['Editor', 'Datapath', 'Benchmarks'] as const;
const app = useAppInBrowser({ width: 1440, height: 900 });

/** Waits until the tool's pane shows what it is for (Monaco's text, the live diagram, the benchmark form). */
async function showTool(page: Page, tool: (typeof TOOLS)[number]) {
  await page.getByRole('tab', { name: tool }).click();
  if (tool === 'Editor') await page.getByTestId('editor-pane').locator('.monaco-editor .view-lines').waitFor({ timeout: 60_000 });
  if (tool === 'Datapath') await page.locator('[data-testid="datapath-pane"][data-status="live"]').waitFor({ timeout: 20_000 });
  if (tool === 'Benchmarks') await page.getByTestId('bench-pane').waitFor();
}

/** A rectangle's top, bottom, left and right, rounded. */
const rect = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width), height: Math.round(r.height) };
  });

describe('the catalog', () => {
  it('names prerequisites by title, as links, names the proxy one way, and has no serious accessibility problem', async () => {
    const page = app.page;
    await page.goto(app.server.url);
    const proxy = (await page.getByTestId('proxy-kind').textContent())!;
    expect(proxy).toMatch(/^(HAProxy|Envoy)$/);
    const after = page.getByTestId('requires-proxy-acceleration').getByRole('link');
    const prerequisite = (await page.getByTestId('lab-transparent-proxy').getByRole('heading').textContent())!;
    await expect(after.textContent()).resolves.toBe(prerequisite);
    await expect(after.getAttribute('href')).resolves.toBe('/labs/transparent-proxy');
    // The proxy a title names is the one the sandbox runs.
    expect(prerequisite).not.toMatch(proxy === 'HAProxy' ? /Envoy/ : /HAProxy/);
    // The icons and the Open Graph image the layout names are the files in public/, served as images; the image's
    // address is absolute, on the host the page was asked for.
    const named = await page.evaluate(() => ({
      icons: [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"], link[rel="apple-touch-icon"]')].map((l) => l.href),
      og: document.querySelector('meta[property="og:image"]')?.getAttribute('content') ?? '',
    }));
    expect(named.icons.map((u) => new URL(u).pathname).sort()).toEqual(['/apple-touch-icon.png', '/favicon.ico', '/favicon.svg']);
    expect(named.og).toBe(`${new URL(app.server.url).origin}/og-image.png`);
    for (const u of [...named.icons, named.og]) {
      const res = await page.request.get(new URL(new URL(u).pathname, app.server.url).href);
      expect(res.status(), u).toBe(200);
      expect(res.headers()['content-type'], u).toMatch(/^image\//);
    }
    mkdirSync('test-results', { recursive: true });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `test-results/layout-catalog-${size.width}x${size.height}.png`, fullPage: true });
      expect(await textSmallerThan(page)).toEqual([]);
    }
    expect(await seriousA11yProblems(page)).toEqual([]);
  });
});

describe('the lab page', () => {
  it('keeps the header on one line and no text under 11 px at 1024x768 and 1440x900, and has no serious accessibility problem, with each tool shown', async () => {
    const page = app.page;
    await openLab(page, app.server.url, LAB, /^client:~#/m, 'client');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const name = `${size.width}x${size.height}`;
      for (const tool of TOOLS) {
        await showTool(page, tool);
        await page.waitForTimeout(300); // the panes settle after a resize
        await page.screenshot({ path: `test-results/layout-${tool.toLowerCase()}-${name}.png` });
        expect(await headerLayoutProblems(page), `header, ${tool}, ${name}`).toEqual([]);
        expect(await textSmallerThan(page), `small text, ${tool}, ${name}`).toEqual([]);
        // axe-core takes seconds a pane; its findings do not depend on the window's size, the header and text sizes do.
        if (size === SIZES[0]) expect(await seriousA11yProblems(page), `axe, ${tool}`).toEqual([]);
        if (tool === 'Datapath') expect(await smallestDiagramLabel(page)).toBeGreaterThanOrEqual(11);
        if (tool === 'Editor') {
          // The editor has room, and its status line is in view, inside the pane.
          const surface = await rect(page, '.editor-surface');
          const status = await rect(page, '[data-testid="editor-status"]');
          const pane = await rect(page, '[data-testid="tools-pane"]');
          expect(surface.height).toBeGreaterThanOrEqual(190);
          // Nothing of the code is cut off at either side: Monaco scrolls inside the pane.
          expect(surface.left).toBeGreaterThanOrEqual(pane.left);
          expect(surface.right).toBeLessThanOrEqual(pane.right);
          expect(status.bottom).toBeLessThanOrEqual(Math.min(pane.bottom, size.height));
          expect(status.top).toBeGreaterThanOrEqual(surface.bottom);
        }
      }
      if (size === SIZES[0]) {
        // Reset lab asks in a dialog over the page: the header stays as it was; Cancel has the focus (Enter alone
        // destroys nothing); Esc cancels and gives the focus back to the button.
        const reset = page.getByRole('button', { name: 'Reset lab…' });
        await reset.click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        await page.screenshot({ path: `test-results/layout-reset-dialog-${name}.png` });
        await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Cancel');
        // The whole question shows (the dialog sits inside the one-line header in the DOM).
        await expect(dialog.locator('p').evaluate((p) => p.scrollWidth <= p.clientWidth && p.getBoundingClientRect().right <= innerWidth)).resolves.toBe(true);
        expect(await headerLayoutProblems(page), 'header with the Reset dialog open').toEqual([]);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        await expect(reset.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      }
      // The terminals' tab bar is in view at every size.
      const bar = await rect(page, '.terminal-tabs');
      const header = await rect(page, '[data-testid="lab-header"]');
      expect(bar.top).toBeGreaterThanOrEqual(header.bottom);
      expect(bar.height).toBeGreaterThan(20);
    }
  });

  it('maximises the tools over the steps and the terminals, and restores them', async () => {
    const page = app.page;
    await page.setViewportSize({ width: 1440, height: 900 });
    await showTool(page, 'Editor');
    const before = await rect(page, '[data-testid="tools-pane"]');
    await page.getByRole('button', { name: 'Maximise' }).click();
    const terminals = await rect(page, '.terminal-pane');
    const steps = await rect(page, '[data-testid="steps-pane"]');
    const maximised = await rect(page, '[data-testid="tools-pane"]');
    expect(maximised.top).toBeLessThanOrEqual(terminals.top);
    expect(maximised.left).toBeLessThanOrEqual(steps.left);
    expect(maximised.height).toBeGreaterThan(before.height + 200);
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/layout-editor-maximised-1440x900.png' });
    // What it covers is out of the keyboard's way too.
    await expect(page.locator('.terminals-slot').evaluate((el) => (el as HTMLElement).inert)).resolves.toBe(true);
    await expect(page.getByTestId('steps-pane').evaluate((el) => (el as HTMLElement).inert)).resolves.toBe(true);
    await expect(page.locator('[role="separator"]:not([inert])').count()).resolves.toBe(0);
    // Wide enough for the datapath diagram at its natural size, labels at 11 px.
    await showTool(page, 'Datapath');
    await expect(page.locator('.dp-diagram-frame').evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true);
    await page.screenshot({ path: 'test-results/layout-datapath-maximised-1440x900.png' });
    await showTool(page, 'Editor');
    await page.getByRole('button', { name: 'Restore' }).click();
    await expect(rect(page, '[data-testid="tools-pane"]')).resolves.toEqual(before);
  });

  it('remembers the splits, the tool on view, and the file and cursor in the editor, over a reload', async () => {
    const page = app.page;
    await showTool(page, 'Editor');
    // Drag nothing: the separators are keyboard controls (arrows move them).
    await page.getByRole('separator', { name: 'Resize the steps and the workspace' }).focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await page.getByRole('separator', { name: 'Resize the terminals and the tools' }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    const steps = await rect(page, '[data-testid="steps-pane"]');
    const tools = await rect(page, '[data-testid="tools-pane"]');
    // Another file, the cursor on its line 12.
    await page.getByTestId('editor-pane').getByTestId('editor-file-redirect.bpf.c').click();
    await page.locator('[data-testid="editor-file-redirect.bpf.c"][aria-selected="true"]').waitFor();
    await page.evaluate(() => {
      const ed = (window as unknown as { monaco: typeof import('monaco-editor') }).monaco.editor.getEditors()[0]!;
      ed.setPosition({ lineNumber: 12, column: 3 });
      ed.focus();
    });
    await page.waitForTimeout(800); // remembered after a pause
    await page.reload();
    await page.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="editor-file-redirect.bpf.c"][aria-selected="true"]').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { monaco?: typeof import('monaco-editor') }).monaco?.editor.getEditors()[0]?.getPosition()?.lineNumber), {
        timeout: 60_000,
      })
      .toBe(12);
    await expect(rect(page, '[data-testid="steps-pane"]')).resolves.toEqual(steps);
    await expect(rect(page, '[data-testid="tools-pane"]')).resolves.toEqual(tools);
    // The tool on view, too.
    await showTool(page, 'Datapath');
    await page.reload();
    await page.locator('#tool-tab-datapath[aria-selected="true"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('datapath-pane').waitFor();
  });

  it('moves between tools with the arrow keys, and shows focus on every control it reaches with Tab', async () => {
    const page = app.page;
    await page.locator('#tool-tab-datapath').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#tool-tab-benchmarks').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('tool-tab-benchmarks');
    await page.keyboard.press('Home');
    await expect(page.locator('#tool-tab-editor').getAttribute('aria-selected')).resolves.toBe('true');
    // From the top of the page, Tab by Tab until a terminal takes the keys (its own keyboard handling is the
    // terminal's): every stop has a visible focus indicator.
    await page.locator('body').evaluate((b) => (b as HTMLElement).focus());
    const unmarked: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        if (el.closest('.xterm')) return 'terminal';
        const s = getComputedStyle(el);
        const marked = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
        return marked ? 'ok' : `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
      });
      if (stop === 'terminal' || stop === undefined) break;
      if (stop !== 'ok') unmarked.push(stop);
    }
    expect(unmarked).toEqual([]);
  });

  it('opens each step at its top, and lets a wide code block scroll sideways', async () => {
    const page = app.page;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('step-item-03-sockops').click();
    const pane = page.getByTestId('steps-pane');
    await pane.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.getByRole('button', { name: 'Next step →' }).click();
    await page.locator('[data-testid="step-panel"][data-step="04-sk-msg"]').waitFor();
    const top = await pane.evaluate((el) => document.getElementById('step-title')!.getBoundingClientRect().top - el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(40);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('step-title');

    // Step 1's diagram is wider than the pane: it scrolls (with the keyboard too), it is not cut off.
    await page.getByTestId('step-item-01-the-starting-point').click();
    const wide = page.locator('[data-testid="step-panel"] pre[tabindex="0"]').first();
    await wide.waitFor();
    await wide.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    await expect(wide.evaluate((el) => el.scrollLeft)).resolves.toBeGreaterThan(0);
  });
});
