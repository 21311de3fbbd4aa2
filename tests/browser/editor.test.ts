// The Editor pane in real Chromium: open the sock_ops starter, break it, Build, see clang's marker on the right line;
// fix it, Build, the marker is gone. Edits made from the terminal reload a clean file and raise a conflict on a
// dirty one (never a silent overwrite); Compare with solution once it is revealed; a file changed in the sandbox just
// before Build is reloaded first (the build never marks lines the editor does not show); after Reset lab the editor
// shows the starter files of the new sandbox. Screenshots in test-results/.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, waitForScreen } from '../helpers/page';

const app = useAppInBrowser({ width: 1500, height: 1100 });
/** The editor's visible text (Monaco renders spaces as no-break spaces). */
const visibleText = async (editor: import('playwright-core').Locator) => ((await editor.locator('.view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
const STARTER = (file: string) => readFileSync(`labs/proxy-acceleration/starter/${file}`, 'utf8');
const STARTER_LINES = STARTER('sockops.bpf.c').split('\n').length;
/** The text of a file's model in the page's Monaco (what the editor shows, all of it). */
const modelText = (page: import('playwright-core').Page, path: string) =>
  page.evaluate((p) => (window as unknown as { monaco: typeof import('monaco-editor') }).monaco.editor.getModels().find((m) => m.uri.path === `/${p}`)?.getValue(), path);

/** Every request the page makes that leaves the app (Monaco must come from the app itself: offline use). */
const foreign: string[] = [];

it('marks a clang error where it is, and clears it once fixed', async () => {
  const { server, page } = app;
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(server.url) && !/^(data|blob):/.test(url)) foreign.push(url);
  });
  await openLab(page, server.url, 'proxy-acceleration', /^client:~#/m, 'client');
  const pane = page.getByTestId('editor-pane');
  await pane.locator('[data-testid="editor-file-sockops.bpf.c"][aria-selected="true"]').waitFor({ timeout: 20_000 });
  const editor = pane.locator('.monaco-editor').first();
  await editor.locator('.view-lines').waitFor({ timeout: 60_000 });
  await expect.poll(() => visibleText(editor)).toMatch(/Starter: complete the TODOs/);

  // Break it on the last (empty) line, and build.
  await editor.click({ position: { x: 300, y: 30 } });
  await page.keyboard.press('Control+End');
  await page.keyboard.type('this is not C;');
  // Every keystroke in the document before Build (it saves the document as it is when clicked).
  await expect.poll(() => modelText(page, 'sockops.bpf.c')).toMatch(/this is not C;$/);
  await pane.locator('[data-testid="editor-file-sockops.bpf.c"][data-dirty="true"]').waitFor();
  await pane.getByRole('button', { name: 'Build' }).click();
  await pane.locator('[data-testid="editor-output"][data-kind="build"][data-ok="false"]').waitFor({ timeout: 60_000 });
  const problem = pane.locator('[data-testid="editor-problem"].problem-error').first();
  await expect(problem.getAttribute('data-line')).resolves.toBe(String(STARTER_LINES));
  await expect(problem.getAttribute('data-column')).resolves.toBe('1');
  await expect(problem.textContent()).resolves.toMatch(/error: unknown type name 'this'/);
  await editor.locator('.squiggly-error').first().waitFor({ timeout: 5000 });
  await expect(pane.locator('[data-testid="editor-file-sockops.bpf.c"]').getAttribute('data-dirty')).resolves.toBe('false'); // Build saved it
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/editor-marker.png' });
  // The build's output does not take the editor's room, even at 1024x768: Monaco keeps its minimum (about ten lines)
  // and the status line stays in view under it.
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect.poll(() => pane.locator('.editor-surface').evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThanOrEqual(190);
  const status = await pane.getByTestId('editor-status').evaluate((el) => el.getBoundingClientRect().bottom);
  expect(status).toBeLessThanOrEqual(768);
  await expect(pane.getByTestId('editor-status').textContent()).resolves.toMatch(/^Build failed/);
  await page.screenshot({ path: 'test-results/editor-output-1024x768.png' });
  await page.setViewportSize({ width: 1500, height: 1100 });

  // Fix it: delete the line, build again: no error, no marker.
  await editor.click({ position: { x: 300, y: 30 } });
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Backspace');
  await expect.poll(() => modelText(page, 'sockops.bpf.c')).not.toMatch(/this is not C;/);
  await pane.getByRole('button', { name: 'Build' }).click();
  await pane.locator('[data-testid="editor-output"][data-kind="build"][data-ok="true"]').waitFor({ timeout: 60_000 });
  await expect(editor.locator('.squiggly-error').count()).resolves.toBe(0);
  await expect(pane.locator('[data-testid="editor-problem"].problem-error').count()).resolves.toBe(0);
});

it('reloads a clean file changed from the terminal, and never overwrites a newer one silently', async () => {
  const { page } = app;
  const pane = page.getByTestId('editor-pane');
  await pane.getByTestId('editor-file-redirect.bpf.c').click();
  await pane.locator('[data-testid="editor-file-redirect.bpf.c"][aria-selected="true"]').waitFor();
  const type = async (cmd: string) => {
    await page.locator('[data-testid="terminal-client"] .terminal-surface').click();
    await page.keyboard.type(`${cmd}\n`);
  };

  // Clean in the editor: reloaded, with a notice.
  await type("echo '// from the terminal' >> ~/lab/redirect.bpf.c");
  await pane.locator('[data-testid="editor-notice"][data-kind="info"]', { hasText: 'redirect.bpf.c changed in the sandbox: reloaded' }).waitFor({ timeout: 30_000 });
  const editor = pane.locator('.monaco-editor').first();
  await editor.click({ position: { x: 300, y: 30 } });
  await page.keyboard.press('Control+End');
  await expect.poll(() => visibleText(editor)).toMatch(/\/\/ from the terminal/);

  // Dirty in the editor and changed in the sandbox: a conflict, and nothing is written until the learner chooses.
  await page.keyboard.type('// mine');
  await page.keyboard.press('Enter');
  await type("echo '// theirs' >> ~/lab/redirect.bpf.c");
  await pane.locator('[data-testid="editor-notice"][data-kind="conflict"]').waitFor({ timeout: 30_000 });
  await pane.getByRole('button', { name: 'Save' }).click();
  // The sandbox refused the write (its answer, not the notice the poll raised before the click).
  await pane.getByTestId('editor-notice').filter({ hasText: 'changed in the sandbox since you opened it: not saved' }).waitFor({ timeout: 30_000 });
  await type('tail -n 1 ~/lab/redirect.bpf.c');
  await waitForScreen(page, /^\/\/ theirs$/m, 'client');
  await pane.getByRole('button', { name: 'Overwrite with mine' }).click();
  await pane.getByTestId('editor-notice').waitFor({ state: 'detached', timeout: 30_000 });
  await type('clear; tail -n 1 ~/lab/redirect.bpf.c');
  await waitForScreen(page, /^\/\/ mine$/m, 'client');
});

it('compares a file with the reference once the step\'s solution is revealed', async () => {
  const { page } = app;
  const pane = page.getByTestId('editor-pane');
  await pane.getByTestId('editor-file-sockops.bpf.c').click();
  const compare = pane.getByRole('button', { name: 'Compare with solution' });
  await expect(compare.isDisabled()).resolves.toBe(true);
  await page.getByTestId('step-item-03-sockops').click();
  await page.getByRole('button', { name: 'Show solution' }).click();
  await page.getByRole('button', { name: 'Show it' }).click();
  await page.waitForFunction(() => !(document.querySelector('[data-testid="editor-pane"] button[title^="Diff against"]') as HTMLButtonElement | null)?.disabled, null, { timeout: 10_000 });
  await compare.click();
  const diff = pane.getByTestId('editor-compare');
  await diff.locator('.monaco-diff-editor').waitFor({ timeout: 10_000 });
  await expect(diff.textContent()).resolves.toMatch(/reference solution \(left\) and yours \(right\)/);
  await page.screenshot({ path: 'test-results/editor-compare.png' });
  expect(foreign).toEqual([]);
});

it('reloads a file changed in the sandbox before it builds: the marked line is the one on screen', async () => {
  const { page } = app;
  const pane = page.getByTestId('editor-pane');
  await pane.getByRole('button', { name: 'Close' }).click();
  await pane.getByTestId('editor-file-sockops.bpf.c').click();
  await pane.locator('[data-testid="editor-file-sockops.bpf.c"][aria-selected="true"]').waitFor();
  await page.locator('[data-testid="terminal-client"] .terminal-surface').click();
  await page.keyboard.type("clear; echo '#error changed-in-the-sandbox' >> ~/lab/sockops.bpf.c && echo APPENDED\n");
  await waitForScreen(page, /^APPENDED$/m, 'client');
  // At once, before the editor's next look at the sandbox (every 2 s) would have noticed.
  await pane.getByRole('button', { name: 'Build' }).click();
  await pane.locator('[data-testid="editor-output"][data-kind="build"][data-ok="false"]').waitFor({ timeout: 60_000 });
  const problem = pane.locator('[data-testid="editor-problem"].problem-error').first();
  await expect(problem.textContent()).resolves.toMatch(/changed-in-the-sandbox/);
  const line = Number(await problem.getAttribute('data-line'));
  const shown = (await modelText(page, 'sockops.bpf.c'))!.split('\n');
  expect(shown[line - 1]).toBe('#error changed-in-the-sandbox');
});

it('shows the starter files of the new sandbox after Reset lab', async () => {
  const { page } = app;
  const pane = page.getByTestId('editor-pane');
  // Both files differ from their starter now (the tests above wrote to them).
  expect(await modelText(page, 'sockops.bpf.c')).not.toBe(STARTER('sockops.bpf.c'));
  expect(await modelText(page, 'redirect.bpf.c')).not.toBe(STARTER('redirect.bpf.c'));
  await page.getByRole('button', { name: 'Reset lab…' }).click();
  await page.getByRole('button', { name: 'Reset lab', exact: true }).click();
  await page.getByTestId('lab-progress').getByText('0/8 steps done').waitFor({ timeout: 60_000 });
  await page.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 60_000 });
  await pane.locator('.monaco-editor .view-lines').waitFor({ timeout: 20_000 });
  for (const file of ['sockops.bpf.c', 'redirect.bpf.c']) {
    await pane.getByTestId(`editor-file-${file}`).click();
    await pane.locator(`[data-testid="editor-file-${file}"][aria-selected="true"]`).waitFor();
    await expect.poll(() => modelText(page, file), { timeout: 10_000 }).toBe(STARTER(file));
    await expect(pane.getByTestId(`editor-file-${file}`).getAttribute('data-dirty')).resolves.toBe('false');
  }
  await expect.poll(() => visibleText(pane.locator('.monaco-editor').first())).toMatch(/TODO/);
  await page.screenshot({ path: 'test-results/editor-after-reset.png' });
});
