// One benchmark run: GET with its samples and summary, DELETE to remove it.
import { summarizeSamples } from '@/lib/bench/model';
import { ownRunOrThrow } from '@/lib/bench/lookup';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/http';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ id: string }> };

export const GET = route(async (_req: Request, { params }: Ctx) => {
  const run = ownRunOrThrow(await currentLearner(), (await params).id);
  const samples = getServices().benchStore.samples(run.id);
  return Response.json({ run, samples, summary: summarizeSamples(samples) });
});

export const DELETE = route(async (_req: Request, { params }: Ctx) => {
  const run = ownRunOrThrow(await currentLearner(), (await params).id);
  if (run.status === 'running') throw new AppError('bench_running', 'This run is still going.', { status: 409, hint: 'Cancel it first.' });
  getServices().benchStore.deleteRun(run.id);
  return Response.json({ deleted: run.id });
});
