// Reset lab: a fresh sandbox (the lab's setup runs again) and the learner's progress in this lab cleared.
import { statusToJson } from '@/lib/sandbox/manager';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow } from '@/lib/server/lookups';

export const POST = route<{ slug: string }>(async (_req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const learner = await currentLearner(app.secret);
  const manager = await app.sandboxes();
  await manager.stop(learner, lab.slug);
  app.progress.resetLab(learner, lab.slug);
  app.progress.touchLab(learner, lab.slug);
  app.events.publish(learner, lab.slug, { type: 'progress', progress: app.progress.forLab(learner, lab) });
  await manager.start(learner, lab.slug);
  return Response.json(statusToJson(manager.status(learner, lab.slug)));
});
