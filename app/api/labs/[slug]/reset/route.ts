// Reset lab: a fresh sandbox (the lab's setup runs again) and the learner's progress in this lab cleared.
import { currentLearner, route } from '@/lib/http';
import { labOrThrow } from '@/lib/labs/lookup';
import { statusToJson } from '@/lib/sandbox/manager';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const learner = await currentLearner();
  const services = getServices();
  const manager = await services.sandboxes();
  await manager.stop(learner, lab.slug);
  services.progress.resetLab(learner, lab.slug);
  services.progress.touchLab(learner, lab.slug);
  services.checks.publishProgress(learner, lab);
  await manager.start(learner, lab.slug);
  return Response.json(statusToJson(manager.status(learner, lab.slug)));
});
