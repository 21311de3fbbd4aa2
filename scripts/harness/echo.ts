// Keystroke echo round trips through the app's terminal: type one character, wait for the shell's echo to arrive.
import type { TermClient } from './terminal-client';

/** Milliseconds per keystroke, `count` of them; the line is cleared every 50 so it never wraps. */
export async function echoLatency(t: TermClient, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = t.received;
    const t0 = performance.now();
    t.type('x');
    while (t.received === before) await new Promise<void>((r) => setImmediate(r));
    samples.push(performance.now() - t0);
    if (i % 50 === 49) {
      t.type('\x15'); // Ctrl+U clears the line; wait for its redraw to pass
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  t.type('\x15');
  return samples;
}
