// The learner's sandbox for a lab: GET its status, POST to start it, DELETE to stop and remove it.
import { statusToJson } from '@/lib/sandbox/manager';
import { clientAddress, currentLearner, route } from '@/lib/server/http';
import { labOrThrow } from '@/lib/server/lookups';

export const GET = route<{ slug: string }>(async (_req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const owner = await currentLearner(app.secret);
  const manager = await app.sandboxes();
  await manager.find(owner, lab.slug); // notices a sandbox that died since
  return Response.json(statusToJson(manager.status(owner, lab.slug)));
});

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const owner = await currentLearner(app.secret);
  app.progress.touchLab(owner, lab.slug);
  const manager = await app.sandboxes();
  const fresh = !(await manager.find(owner, lab.slug));
  if (fresh) app.admission.admit(owner, lab.slug, clientAddress(req), app.idle.nextStopInS());
  try {
    await manager.start(owner, lab.slug);
  } catch (err) {
    if (!manager.list().some((s) => s.owner === owner && s.lab === lab.slug)) app.admission.released(owner, lab.slug);
    throw err;
  }
  app.idle.touch(owner, lab.slug);
  return Response.json(statusToJson(manager.status(owner, lab.slug)));
});

export const DELETE = route<{ slug: string }>(async (_req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const owner = await currentLearner(app.secret);
  const manager = await app.sandboxes();
  const stopped = await manager.stop(owner, lab.slug);
  return Response.json({ state: 'none', stopped });
});
