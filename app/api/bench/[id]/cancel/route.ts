// Cancels a running benchmark: the current measurement stops, the sandbox is restored, the samples so far stay.
import { ownRunOrThrow } from '@/lib/bench/lookup';
import { currentLearner, route } from '@/lib/http';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ id: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const learner = await currentLearner();
  const run = ownRunOrThrow(learner, (await params).id);
  return Response.json({ cancelling: getServices().bench.cancel(learner, run.id) });
});
