// The terminal tabs of a three-tab lab (the lab of issue 15) in real Chromium.
// Restore: a tab hidden while it printed comes back after a reload with all its output, at the bottom; a long wrapped
// command comes back exactly (the rows, their colours and the cursor), at the same size and after a resize; the tab
// on view comes back; after the server is killed (SIGKILL) and started again every tab comes back, also after a
// reload. Keyboard: Ctrl+M lets Tab leave the terminal for the tools and come back; arrows move between the tabs;
// Shift+F10 opens the terminal's menu; screen reader mode. Screenshots in test-results/.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, terminalScreen, waitForScreen } from '../helpers/page';

const LAB = 'proxy-acceleration';
const TABS = ['server', 'client', 'sandbox'] as const;
const PROMPT = { server: /^server:~#/m, client: /^client:~#/m, sandbox: /^sandbox:~#/m };
const app = useAppInBrowser({ width: 1300, height: 850 });

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLab(app.page, app.server.url, LAB, PROMPT.client, 'client');
});

async function showTab(page: Page, tab: string) {
  const button = page.locator(`#tab-${tab}`);
  if ((await button.getAttribute('aria-selected')) !== 'true') await button.click();
  await page.locator(`#panel-${tab}:not([hidden])`).waitFor();
}

/** Types into a tab's shell, on an empty command line. */
async function typeIn(page: Page, tab: string, text: string) {
  await showTab(page, tab);
  await page.locator(`[data-testid="terminal-${tab}"] .terminal-surface`).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+U');
  await page.keyboard.type(text);
}

/**
 * xterm draws its cursor once the terminal has had the focus: a page just loaded has not. Focus the terminal (as a
 * click would, without moving anything) before comparing screens with the cursor in them.
 */
async function focusTerminal(page: Page, tab: string) {
  await page.locator(`[data-testid="terminal-${tab}"] .xterm-helper-textarea`).focus();
}

/** Every tab connected (after a reload or a restart); the page and the server's last words when not. */
async function allConnected(page: Page, timeout = 60_000) {
  try {
    for (const tab of TABS) await page.locator(`#tab-${tab}[data-status="connected"]`).waitFor({ timeout });
  } catch (err) {
    await page.screenshot({ path: 'test-results/terminal-tabs-not-connected.png' });
    throw new Error(`${(err as Error).message}\nthe server said:\n${app.server.output.join('').slice(-3000)}`);
  }
}

/**
 * What a tab shows, exactly: each row's runs of text with their colours and attributes (xterm's classes and styles),
 * and where the cursor is. The cursor's own blink and focus classes are left out: they change by themselves.
 */
function screenState(page: Page, tab: string): Promise<string[]> {
  return page.locator(`[data-testid="terminal-${tab}"] .xterm-rows`).evaluate((rows) =>
    [...rows.children].map((row) =>
      [...row.childNodes]
        .map((n) => {
          if (!(n instanceof HTMLElement)) return n.textContent ?? '';
          const classes = [...n.classList].filter((c) => !/^xterm-cursor-(blink|outline|block|bar|underline)$/.test(c)).join('.');
          return `[${classes}${n.getAttribute('style') ? `;${n.getAttribute('style')}` : ''}]${n.textContent}`;
        })
        .join(''),
    ),
  );
}

/** Polls until the tab shows `expected` (a restore is written in pieces), then returns what it shows. */
async function expectScreen(page: Page, tab: string, expected: string[], what: string) {
  await expect.poll(() => screenState(page, tab), { timeout: 20_000, message: what }).toEqual(expected);
}

/** Everything the tab holds, scrollback included, as the learner would copy it (Select all, Ctrl+Shift+C). */
async function copyAll(page: Page, tab: string): Promise<string> {
  const surface = page.locator(`[data-testid="terminal-${tab}"] .terminal-surface`);
  await surface.click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Select all/ }).click();
  await page.keyboard.press('Control+Shift+C');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  await surface.click(); // clears the selection
  return text;
}

/** The last row with text on it, as shown. */
async function lastRow(page: Page, tab: string): Promise<string> {
  return (await terminalScreen(page, tab)).trimEnd().split('\n').at(-1) ?? '';
}

/** Lines of the loop below: long enough to wrap at every width used here. */
const TICK = (i: number) => `tick ${i} ${'x'.repeat(130)}`;
const TICKS = 60;

/** The command line that came back garbled in issue 15, typed with an edit in the middle (readline redraws it). */
const LONG_COMMAND =
  'bpftool prog load sockops.bpf.o /sys/fs/bpf/accel_sockops type sockops && bpftool cgroup attach /sys/fs/cgroup sock_ops pinned /sys/fs/bpf/accel_sockops && bpftool prog load redirect.bpf.o /sys/fs/bpf/accel_msg type sk_msg';

describe('terminal restore', () => {
  it('shows a tab that printed while hidden, across a reload, with all its output and at the bottom; the tab on view comes back', async () => {
    const page = app.page;
    await typeIn(
      page,
      'client',
      `clear; rm -f /tmp/ticks-done; x=$(printf 'x%.0s' $(seq 1 130)); for i in $(seq 1 ${TICKS}); do echo "tick $i $x"; sleep 0.2; done; echo TICKS-DONE; touch /tmp/ticks-done\n`,
    );
    await waitForScreen(page, /^tick 3 x/m, 'client');
    await showTab(page, 'server');
    await page.reload();
    await allConnected(page);
    // The tab on view is the one the learner chose last.
    await expect(page.locator('#tab-server').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator('#panel-client').getAttribute('hidden')).resolves.not.toBeNull();
    // The loop ends while its tab is hidden (the pods share the sandbox's files).
    await typeIn(page, 'server', 'clear; while [ ! -e /tmp/ticks-done ]; do sleep 0.2; done; echo LOOP-OVER\n');
    await waitForScreen(page, /^LOOP-OVER$/m, 'server', 60_000);
    await showTab(page, 'client');
    await waitForScreen(page, /^TICKS-DONE$/m, 'client');
    await page.screenshot({ path: 'test-results/terminal-restore-hidden-tab.png' });
    // At the bottom: the prompt after the loop is the last row on view, without a key pressed.
    await expect.poll(() => lastRow(page, 'client')).toMatch(PROMPT.client);
    // The wheel goes up and comes back down to the bottom.
    await page.locator('[data-testid="terminal-client"] .terminal-surface').hover();
    await page.mouse.wheel(0, -600);
    await expect.poll(() => lastRow(page, 'client')).not.toMatch(PROMPT.client);
    await page.mouse.wheel(0, 5000);
    await expect.poll(() => lastRow(page, 'client')).toMatch(PROMPT.client);
    // All of it, in order, each wrapped line whole.
    const all = await copyAll(page, 'client');
    const ticks = all.split('\n').filter((l) => l.startsWith('tick '));
    expect(ticks).toEqual(Array.from({ length: TICKS }, (_, i) => TICK(i + 1)));
  });

  it('brings a long wrapped command back exactly: same rows, colours and cursor, at the same size and after a resize', async () => {
    const page = app.page;
    // Coloured output with a background band, a long command run, and another one left half-edited at the prompt.
    await typeIn(page, 'sandbox', `clear; printf '\\e[44m band \\e[0m plain \\e[1;31mred\\e[0m\\n'; echo '${LONG_COMMAND}'\n`);
    await waitForScreen(page, /type sk_msg$/m, 'sandbox');
    await page.keyboard.type(`echo '${LONG_COMMAND}'`);
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' EDITED ');
    await page.waitForTimeout(500);
    const before = await screenState(page, 'sandbox');
    expect(before.join('\n')).toContain('EDITED');
    await page.screenshot({ path: 'test-results/terminal-restore-wrapped-before.png' });

    await page.reload();
    await allConnected(page);
    await expect(page.locator('#tab-sandbox').getAttribute('aria-selected')).resolves.toBe('true');
    await focusTerminal(page, 'sandbox');
    await expectScreen(page, 'sandbox', before, 'the same screen after a reload');
    await page.screenshot({ path: 'test-results/terminal-restore-wrapped-after.png' });

    // Narrower: the browser and the server's mirror both re-wrap; a reload then shows the same.
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.waitForTimeout(1000);
    const resized = await screenState(page, 'sandbox');
    expect(resized).not.toEqual(before);
    await page.reload();
    await allConnected(page);
    await focusTerminal(page, 'sandbox');
    await expectScreen(page, 'sandbox', resized, 'the same screen after a resize and a reload');
    // The command still runs as typed, edit included.
    await page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await waitForScreen(page, /EDITED/, 'sandbox');
    await page.setViewportSize({ width: 1300, height: 850 });
  });

  it('gives every tab back its screen after the server is killed (SIGKILL) and started again, and after a reload then', async () => {
    const page = app.page;
    const before: Record<string, string[]> = {};
    for (const tab of TABS) {
      await typeIn(page, tab, `clear; echo "this is $(hostname) in ${tab}, shell $$"; echo '${LONG_COMMAND}'\n`);
      await waitForScreen(page, new RegExp(`in ${tab}, shell \\d+`), tab);
      await waitForScreen(page, /type sk_msg$/m, tab);
      await page.waitForTimeout(300);
      before[tab] = await screenState(page, tab);
    }
    await app.server.restart({ kill: true });
    // The page reconnects by itself (backing off to 5 s between attempts while no server answers).
    await allConnected(page, 120_000);
    for (const tab of TABS) {
      await showTab(page, tab);
      await focusTerminal(page, tab);
      await expectScreen(page, tab, before[tab]!, `${tab} after the restart`);
    }
    await page.reload();
    await allConnected(page);
    for (const tab of TABS) {
      await showTab(page, tab);
      await focusTerminal(page, tab);
      await expectScreen(page, tab, before[tab]!, `${tab} after the restart and a reload`);
    }
    await page.screenshot({ path: 'test-results/terminal-restore-after-kill.png' });
  });
});

/** Whether the keyboard focus is in this tab's terminal (xterm's input). */
const inTerminal = (page: Page, tab: string) =>
  page.evaluate((t) => document.activeElement?.matches(`[data-testid="terminal-${t}"] .xterm-helper-textarea`) ?? false, tab);

/** The focused element: its accessible role and text, and whether its focus is drawn. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return { role: el.getAttribute('role') ?? el.tagName.toLowerCase(), text: el.textContent?.trim() ?? '', ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none' };
  });

describe('the terminals from the keyboard', () => {
  it('lets Tab leave the terminal for the tools after Ctrl+M, and come back with Shift+Tab', async () => {
    const page = app.page;
    await typeIn(page, 'client', 'ech');
    // By default Tab is the shell's (completion), and the focus stays.
    await page.keyboard.press('Tab');
    await waitForScreen(page, /^client:~# echo$/m, 'client');
    await page.keyboard.press('Control+U');
    expect(await inTerminal(page, 'client')).toBe(true);
    const toggle = page.getByTestId('tab-moves-focus');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    await page.keyboard.press('Control+M');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    // Forward, out of the terminal, to the tools' tabs (past the separator between the panes, itself a control).
    let presses = 0;
    let at = await focused(page);
    do {
      await page.keyboard.press('Tab');
      presses++;
      at = await focused(page);
      expect(at.ring, `focus drawn on ${at.role} "${at.text}"`).toBe(true);
    } while (at.role !== 'tab' && presses < 4);
    expect(at).toMatchObject({ role: 'tab', text: expect.stringMatching(/^(Editor|Datapath|Benchmarks)$/) });
    await page.screenshot({ path: 'test-results/terminal-keyboard-out.png' });
    // And back.
    for (let i = 0; i < presses; i++) await page.keyboard.press('Shift+Tab');
    expect(await inTerminal(page, 'client')).toBe(true);
    // Backward, to the terminal bar's controls, and back.
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ role: 'button', text: 'New shell', ring: true });
    await page.keyboard.press('Tab');
    expect(await inTerminal(page, 'client')).toBe(true);

    // Off again: Tab is the shell's, and the shell saw none of the keys above.
    await page.keyboard.press('Control+M');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.type('ech');
    await page.keyboard.press('Tab');
    await page.keyboard.type('"BACK-$((2+2))"\n');
    await waitForScreen(page, /^BACK-4$/m, 'client');
    expect(await inTerminal(page, 'client')).toBe(true);
  });

  it('moves between the tabs with the arrows, opens the menu with Shift+F10, and reads out with screen reader mode', async () => {
    const page = app.page;
    await showTab(page, 'client');
    await page.locator('#tab-client').focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: expect.stringContaining('sandbox') });
    expect(await page.locator('#tab-sandbox').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    expect(await page.locator('#tab-server').getAttribute('aria-selected')).toBe('true');
    // Only the tab on view is in the focus order: Tab goes from it to the bar's controls.
    await page.keyboard.press('Tab');
    expect((await focused(page)).role).toBe('button');

    await page.locator('[data-testid="terminal-server"] .terminal-surface').click();
    await page.keyboard.press('Shift+F10');
    await expect(focused(page)).resolves.toMatchObject({ role: 'menuitem' });
    await page.keyboard.press('Escape');
    // The menu closes and gives the focus back in the page's next render, not within the key press.
    await expect.poll(() => inTerminal(page, 'server')).toBe(true);

    const reader = page.getByRole('button', { name: 'Screen reader' });
    await reader.click();
    expect(await reader.getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid="terminal-server"] .xterm-accessibility').waitFor({ state: 'attached' });
    await page.reload();
    await allConnected(page);
    // Remembered in this browser.
    expect(await page.getByRole('button', { name: 'Screen reader' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Screen reader' }).click();
  });
});
