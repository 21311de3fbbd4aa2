// The lab page in real Chromium: a step completes by itself after the command that does it; progress survives a
// reload and a server restart; after a failed check the hint for its reason comes first; Run / Stop, hints and Reset
// work from the page.
import { describe, expect, it } from 'vitest';
import { useAppInBrowser } from '../helpers/app-in-browser';
import { openLab, waitForScreen } from '../helpers/page';

const LAB = 'sandbox-tour';
const app = useAppInBrowser({ width: 1360, height: 880 });

const stepStatus = (id: string) => app.page.getByTestId(`step-item-${id}`).getAttribute('data-status');

describe('a lab', () => {
  it('ticks a step as soon as the command typed in the terminal completes it, without pressing Check', async () => {
    await openLab(app.page, app.server.url, LAB);
    expect(await stepStatus('01-pin-a-map')).toBe('todo');
    await app.page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await app.page.keyboard.type('bpftool map create /sys/fs/bpf/tour_counts type hash key 4 value 8 entries 16 name tour_counts\n');
    await app.page.locator('[data-testid="step-item-01-pin-a-map"][data-status="done"]').waitFor({ timeout: 5000 });
    await expect(app.page.getByTestId('check-result').textContent()).resolves.toMatch(/A hash map .*is pinned/);
    await expect(app.page.getByTestId('lab-progress').textContent()).resolves.toBe('1/2 steps done');
  });

  it('keeps progress over a reload', async () => {
    await app.page.reload();
    await app.page.locator('[data-testid="step-item-01-pin-a-map"][data-status="done"]').waitFor({ timeout: 10_000 });
    await expect(app.page.getByTestId('lab-progress').textContent()).resolves.toBe('1/2 steps done');
  });

  it('keeps progress and the sandbox over a server restart', async () => {
    await app.server.restart();
    await openLab(app.page, app.server.url, LAB);
    expect(await stepStatus('01-pin-a-map')).toBe('done');
    // The same sandbox: the map pinned before the restart is still there.
    await app.page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await app.page.keyboard.type('bpftool map show name tour_counts | head -1\n');
    await waitForScreen(app.page, /^\d+: hash\s+name tour_counts/m);
  });

  it('after a failed check, offers the hint keyed to its reason first', async () => {
    await app.page.getByRole('button', { name: /Attach a program/ }).click();
    await app.page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    // Built and loaded, never attached: the check fails with reason not-attached.
    await app.page.keyboard.type(
      'clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c /opt/ebpf-labs/bpf/preflight/preflight.bpf.c -o /tmp/hello.bpf.o && bpftool prog load /tmp/hello.bpf.o /sys/fs/bpf/hello type sockops\n',
    );
    const result = app.page.getByTestId('check-result');
    await result.locator('[data-passed="false"]').getByText(/is loaded \(id \d+\) but not attached/).waitFor({ timeout: 15_000 });
    await app.page.getByRole('button', { name: /A hint for this failure/ }).click();
    const first = app.page.getByLabel('Hints').locator('.hint').first();
    await first.getByText(/Loading puts a program in the kernel; attaching makes a hook run it/).waitFor();
    // The general hints follow, in their order.
    await app.page.getByRole('button', { name: /Another hint/ }).click();
    await app.page.getByLabel('Hints').locator('.hint').nth(1).getByText(/holds the path of your sandbox's own cgroup/).waitFor();
  });

  it('runs a step command with Run and completes the last step', async () => {
    const runs = app.page.getByTestId('step-panel').getByRole('button', { name: 'Run' });
    await runs.nth(1).click(); // build, load and attach
    await app.page.locator('[data-testid="step-item-02-attach-to-your-cgroup"][data-status="done"]').waitFor({ timeout: 15_000 });
    await expect(app.page.getByTestId('lab-progress').textContent()).resolves.toBe('2/2 steps done');
  });

  it('interrupts a long-running command from the page', async () => {
    await app.page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await app.page.keyboard.type('sleep 600; echo SLEPT\n');
    await app.page.getByRole('button', { name: 'Ctrl+C' }).click();
    await waitForScreen(app.page, /^\^C$/m);
    await app.page.keyboard.type('echo BACK-$((2*21))\n');
    await waitForScreen(app.page, /^BACK-42$/m);
  });

  it('resets the lab after a confirmation: progress cleared, fresh sandbox', async () => {
    await app.page.getByRole('button', { name: 'Reset lab…' }).click();
    await app.page.getByRole('button', { name: 'Reset lab', exact: true }).click();
    await app.page.getByTestId('lab-progress').getByText('0/2 steps done').waitFor({ timeout: 30_000 });
    await app.page.getByTestId('terminal-status').getByText('connected').waitFor({ timeout: 30_000 });
    await app.page.locator('[data-testid="terminal-sandbox"] .terminal-surface').click();
    await app.page.keyboard.type('ls /sys/fs/bpf/tour_counts || echo GONE\n');
    await waitForScreen(app.page, /^GONE$/m);
  });

  it('shows the learner progress in the catalog', async () => {
    await app.page.goto(app.server.url);
    await expect(app.page.getByTestId(`progress-${LAB}`).textContent()).resolves.toBe('0/2 done');
  });
});
