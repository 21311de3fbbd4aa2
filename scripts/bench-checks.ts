// npm run bench:checks: delay from the end of a command that completes a step to the step marked done on the
// lab page's channel, over 20 runs (p50, p95). Each run: reset the step's state in the sandbox and the progress,
// type the command in the terminal, time from the command's own last output to the "check passed" event.
import { percentile } from '../lib/stats';
import { LabEventsClient } from './harness/lab-events-client';
import { Client, withAppServer } from './harness/app-server';
import { TermClient } from './harness/terminal-client';

const LAB = 'sandbox-tour';
const RUNS = 20;

async function main() {
  await withAppServer(async (server) => {
    const learner = new Client(server.url);
    await learner.fetch('/');
    await learner.fetch(`/api/labs/${LAB}/sandbox`, { method: 'POST' });
    const delays: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await learner.fetch(`/api/labs/${LAB}/reset`, { method: 'POST' });
      const events = new LabEventsClient(server.url, LAB, learner.cookie, '01-pin-a-map');
      await events.opened;
      const term = new TermClient(server.url, { lab: LAB, tab: 'sandbox', cookie: learner.cookie });
      await term.opened;
      await term.waitFor(/# $/m);
      const passed = events.nextTimed((e) => e.type === 'check' && e.passed && e.newlyDone, 10_000);
      // The command prints a token when it has done its work; the clock starts when that token arrives.
      const ended = term.watch(new RegExp(`CMD-END-${i + 1000}`));
      term.type(`bpftool map create /sys/fs/bpf/tour_counts type hash key 4 value 8 entries 16 name tour_counts && echo CMD-END-$((${i}+1000))\r`);
      const [t0, { at }] = await Promise.all([ended, passed]);
      delays.push(at - t0);
      term.close();
      events.close();
    }
    console.log(`command end -> step marked done (${RUNS} runs): p50 ${percentile(delays, 50).toFixed(0)} ms, p95 ${percentile(delays, 95).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms   goal: <= 1000 ms`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
