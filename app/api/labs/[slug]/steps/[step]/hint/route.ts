// Reveals the step's next hint: one keyed to the reason of the step's last failed check first, then the general ones
// in order. Answers with every hint revealed so far, in the order they were revealed.
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow, stepOrThrow } from '@/lib/server/lookups';

export const POST = route<{ slug: string; step: string }>(async (_req, params, app) => {
  const lab = await labOrThrow(app.labs, params.slug);
  const step = stepOrThrow(lab, params.step);
  if (step.hints.length === 0) throw new AppError('no_hints', 'This step has no hints.', { status: 404 });
  const learner = await currentLearner(app.secret);
  const revealed = app.progress.revealHint(learner, lab.slug, step.id, step.hints);
  return Response.json({ hints: revealed.map((i) => step.hints[i]!.text), remaining: step.hints.length - revealed.length });
});
