// Skip to a step: a fresh sandbox brought to the start of `step` by the reference solutions of every step before it
// (as the benchmark does); those steps not done yet count as skipped, so `step` can tick.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { applySolutions } from '@/lib/labs/setup';
import { statusToJson } from '@/lib/sandbox/manager';
import { clientAddress, currentLearner, route } from '@/lib/server/http';
import { labOrThrow, stepOrThrow } from '@/lib/server/lookups';

const Body = z.strictObject({ step: z.string().max(100) });

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"step": "<step id>"}.', { status: 400 });
  const step = stepOrThrow(lab, body.data.step);
  const learner = await currentLearner(app.secret);
  const manager = await app.sandboxes();
  const had = await manager.stop(learner, lab.slug);
  if (had) app.admission.hold(learner, lab.slug, clientAddress(req));
  else app.admission.admit(learner, lab.slug, clientAddress(req), app.idle.nextStopInS());
  try {
    const sandbox = await manager.start(learner, lab.slug);
    const { driver } = await app.engine.get();
    await applySolutions(driver, sandbox.id, lab, lab.steps[step.index - 1]?.id);
  } catch (err) {
    if (!manager.list().some((s) => s.owner === learner && s.lab === lab.slug)) app.admission.released(learner, lab.slug);
    throw err;
  }
  const progress = app.progress.forLab(learner, lab);
  app.progress.skip(learner, lab.slug, progress.steps.slice(0, step.index).filter((p) => p.status === 'todo').map((p) => p.step));
  app.progress.setCurrentStep(learner, lab.slug, step.id);
  app.events.publish(learner, lab.slug, { type: 'progress', progress: app.progress.forLab(learner, lab) });
  app.idle.touch(learner, lab.slug);
  return Response.json(statusToJson(manager.status(learner, lab.slug)));
});
