// The learner's benchmark runs for a lab: GET lists them (and the one running), POST starts one.
import { AppError } from '@/lib/errors';
import { BenchConfigSchema, estimateSeconds } from '@/lib/bench/model';
import { currentLearner, route } from '@/lib/http';
import { labOrThrow } from '@/lib/labs/lookup';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string }> };

export const GET = route(async (_req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const learner = await currentLearner();
  const services = getServices();
  return Response.json({ runs: services.benchStore.listRuns(learner, lab.slug), active: services.bench.activeFor(learner, lab.slug) ?? null });
});

export const POST = route(async (req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const parsed = BenchConfigSchema.safeParse(await req.json().catch(() => undefined));
  if (!parsed.success) {
    throw new AppError('bad_request', 'The benchmark settings are not valid.', {
      status: 400,
      details: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
    });
  }
  const learner = await currentLearner();
  const run = await getServices().bench.start(learner, lab, parsed.data);
  return Response.json({ run, estimatedSeconds: Math.round(estimateSeconds(parsed.data)) }, { status: 202 });
});
