// One benchmark run: GET with its samples and summary, DELETE to remove it.
import { summarizeSamples } from '@/lib/bench/model';
import { labProfile, modeNames, modeRoles } from '@/lib/bench/profile';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/server/http';
import { ownRunOrThrow } from '@/lib/server/lookups';

export const GET = route<{ id: string }>(async (_req, { id }, app) => {
  const run = ownRunOrThrow(app.benchStore, await currentLearner(app.secret), id);
  const samples = app.benchStore.samples(run.id);
  // The lab's own modes, when it lists them; a run of a lab since removed keeps the default roles.
  const profile = await app.labs.get(run.lab).then((l) => (l ? labProfile(l) : undefined), () => undefined);
  return Response.json({ run, samples, summary: summarizeSamples(samples, modeRoles(profile), modeNames(profile)) });
});

export const DELETE = route<{ id: string }>(async (_req, { id }, app) => {
  const run = ownRunOrThrow(app.benchStore, await currentLearner(app.secret), id);
  if (run.status === 'running') throw new AppError('bench_running', 'This run is still going.', { status: 409, hint: 'Cancel it first.' });
  app.benchStore.deleteRun(run.id);
  return Response.json({ deleted: run.id });
});
