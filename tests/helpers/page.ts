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

/**
 * Opens a lab page, starts the sandbox if this learner has none, shows the terminal tab `tab` (whichever tab the
 * step opens on), and waits for its prompt.
 */
export async function openLab(page: Page, base: string, slug: string, prompt = /^sandbox:~#/m, tab = 'sandbox'): Promise<void> {
  await page.goto(`${base}/labs/${slug}`);
  const start = page.getByRole('button', { name: 'Start sandbox' });
  const connected = page.getByTestId('terminal-status').getByText('connected');
  await Promise.race([start.waitFor({ timeout: 30_000 }), connected.waitFor({ timeout: 30_000 })]);
  if (await start.isVisible()) await start.click();
  await connected.waitFor({ timeout: 60_000 });
  const tabButton = page.locator(`#tab-${tab}`);
  if ((await tabButton.getAttribute('aria-selected')) !== 'true') await tabButton.click();
  await waitForScreen(page, prompt, tab);
}

/** Accessibility problems axe-core finds on the page as it is now, at the "serious" and "critical" levels, one line
 * each (rule, impact, the first elements); no rule is turned off. */
export async function seriousA11yProblems(page: Page): Promise<string[]> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  // Only violations are wanted: axe then skips collecting what passed, a good part of its time on a page this size.
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * Elements of the lab header that wrap onto a second line or stick out of it: every text in the header on one line
 * (the header's own line), nothing outside its box, nothing cut off except the title, whose full text is then on
 * hover (its title attribute). A dialog the header opened is over the page, not in the header's line: not counted.
 */
export async function headerLayoutProblems(page: Page): Promise<string[]> {
  return page.locator('[data-testid="lab-header"]').evaluate((header) => {
    const problems: string[] = [];
    const box = header.getBoundingClientRect();
    const lines = new Set<number>();
    const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim() || node.parentElement?.closest('dialog')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const tops = new Set(rects.map((r) => Math.round(r.top + r.height / 2)));
      if (tops.size > 1) problems.push(`"${node.textContent.trim()}" wraps onto ${tops.size} lines`);
      for (const t of tops) lines.add(t);
    }
    // Every text's middle on (about) one line: badges and buttons are centred on it.
    const middles = [...lines].sort((a, b) => a - b);
    if (middles.length && middles[middles.length - 1]! - middles[0]! > 4) problems.push(`texts on several lines: ${middles.join(', ')}`);
    for (const el of header.querySelectorAll<HTMLElement>('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || el.closest('dialog')) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
        problems.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim()}" sticks out of the header`);
      }
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible') {
        const full = el.textContent?.trim() ?? '';
        if (el.tagName !== 'H1' || el.title !== full) problems.push(`${el.tagName.toLowerCase()} "${full}" is cut off`);
      }
    }
    return problems;
  });
}

/**
 * Visible text rendered smaller than `min` CSS pixels: every text node on screen (not hidden, not clipped away, not
 * transparent), at its computed font size times the scale it is drawn at (an SVG scaled into its box).
 */
export async function textSmallerThan(page: Page, min = 11): Promise<string[]> {
  return page.evaluate((min) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const el = node.parentElement;
      if (!text || !el || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      // Off screen, or clipped to nothing (.sr-only, a collapsed panel).
      if (r.width < 2 || r.height < 2 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
      let clipped = false;
      for (let a: Element | null = el; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflow === 'visible' && s.clipPath === 'none' && s.clip === 'auto') continue;
        const b = a.getBoundingClientRect();
        if (b.width < 2 || b.height < 2 || r.right <= b.left || r.left >= b.right || r.bottom <= b.top || r.top >= b.bottom) clipped = true;
        if (clipped) break;
      }
      if (clipped) continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) size *= el.closest('svg')?.getScreenCTM()?.a ?? 1;
      if (size < min - 0.05) found.push(`${size.toFixed(1)} px: "${text.slice(0, 40)}" (${el.tagName.toLowerCase()}.${[...el.classList].join('.')})`);
    }
    return found;
  }, min);
}

/** The datapath diagram's smallest label as drawn on screen, in CSS pixels. */
export async function smallestDiagramLabel(page: Page): Promise<number> {
  return page.locator('svg.dp-diagram').evaluate((svg: SVGSVGElement) => {
    const scale = svg.getScreenCTM()?.a ?? 1;
    const sizes = [...svg.querySelectorAll('text')].filter((t) => t.textContent?.trim()).map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return Math.min(...sizes);
  });
}
