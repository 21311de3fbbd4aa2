// Reset lab: a fresh sandbox (the lab's setup runs again) and the learner's progress in this lab cleared.
import { statusToJson } from '@/lib/sandbox/manager';
import { clientAddress, currentLearner, route } from '@/lib/server/http';
import { labOrThrow } from '@/lib/server/lookups';

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const learner = await currentLearner(app.secret);
  const manager = await app.sandboxes();
  const had = await manager.stop(learner, lab.slug);
  // The fresh sandbox takes the slot the old one held; without one, the learner asks like everyone else.
  if (had) app.admission.hold(learner, lab.slug, clientAddress(req));
  else app.admission.admit(learner, lab.slug, clientAddress(req), app.idle.nextStopInS());
  app.progress.resetLab(learner, lab.slug);
  app.progress.touchLab(learner, lab.slug);
  app.events.publish(learner, lab.slug, { type: 'progress', progress: app.progress.forLab(learner, lab) });
  try {
    await manager.start(learner, lab.slug);
  } catch (err) {
    app.admission.released(learner, lab.slug);
    throw err;
  }
  app.idle.touch(learner, lab.slug);
  return Response.json(statusToJson(manager.status(learner, lab.slug)));
});
