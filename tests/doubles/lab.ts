// A lab built in memory for unit tests of logic that takes a Lab (the scheduler, the benchmark service): its metadata
// goes through the real schema, its steps are given as check scripts.
import { LabMetaSchema, type Lab, type LabMeta, type Step } from '@/lib/labs/schema';

export function testLab(slug: string, checks: Record<string, string>, meta: Partial<LabMeta> = {}, stepOverrides: Partial<Step>[] = []): Lab {
  const steps: Step[] = Object.entries(checks).map(([id, check], index) => ({
    index,
    id,
    title: id,
    hints: [],
    sideEffects: false,
    checkBudget: { seconds: 2 },
    mistakes: [],
    terminal: 'sandbox',
    checkTimeoutMs: 10_000,
    solutionTimeoutMs: 120_000,
    markdown: `# ${id}\n`,
    html: `<h1>${id}</h1>`,
    check,
    solution: 'true\n',
    ...stepOverrides[index],
  }));
  const parsed = LabMetaSchema.parse({
    title: slug,
    summary: `The ${slug} lab, for tests.`,
    duration: 10,
    difficulty: 'beginner',
    terminals: [{ name: 'sandbox' }],
    ...meta,
  });
  return { slug, dir: `/labs/${slug}`, meta: parsed, steps, workspaceFiles: [], solutionFiles: [], labFiles: {} };
}

/** A lab's own benchmark modes, as proxy-splicing declares them: direct, copy (the reference) and sockmap. */
export const splicingBenchmark = {
  after: '01-a',
  reference: 'copy',
  accelerated: 'sockmap',
  modes: [
    { name: 'direct', run: 'switch direct', viaProxy: false, redirected: false },
    { name: 'copy', run: 'switch copy', viaProxy: true, redirected: false },
    { name: 'sockmap', run: 'switch sockmap', viaProxy: true, redirected: true, noProxyReads: true },
  ],
  counters: 'print-counters',
  restore: 'put-back',
};
