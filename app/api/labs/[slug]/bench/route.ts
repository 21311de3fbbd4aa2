// The learner's benchmark runs for a lab: GET lists them (and the one running), POST starts one.
import { BenchConfigSchema, estimateSeconds } from '@/lib/bench/model';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow, runningSandboxOrThrow } from '@/lib/server/lookups';

export const GET = route<{ slug: string }>(async (_req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const learner = await currentLearner(app.secret);
  return Response.json({ runs: app.benchStore.listRuns(learner, lab.slug), active: app.bench.activeFor(learner, lab.slug) ?? null });
});

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const parsed = BenchConfigSchema.safeParse(await req.json().catch(() => undefined));
  if (!parsed.success) {
    throw new AppError('bad_request', 'The benchmark settings are not valid.', {
      status: 400,
      details: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    });
  }
  const learner = await currentLearner(app.secret);
  if (!lab.meta.benchmark) throw new AppError('no_benchmark', 'This lab has no benchmark.', { status: 404 });
  const sandbox = await runningSandboxOrThrow(await app.sandboxes(), learner, lab);
  const run = app.bench.start(learner, lab, sandbox, parsed.data);
  return Response.json({ run, estimatedSeconds: Math.round(estimateSeconds(parsed.data)) }, { status: 202 });
});
