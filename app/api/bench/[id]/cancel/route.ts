// Cancels a running benchmark: the current measurement stops, the sandbox is restored, the samples so far stay.
import { currentLearner, route } from '@/lib/server/http';
import { ownRunOrThrow } from '@/lib/server/lookups';

export const POST = route<{ id: string }>(async (_req, { id }, app) => {
  const learner = await currentLearner(app.secret);
  const run = ownRunOrThrow(app.benchStore, learner, id);
  return Response.json({ cancelling: app.bench.cancel(learner, run.id) });
});
