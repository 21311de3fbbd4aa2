// Reveals the step's next hint; answers with every hint revealed so far.
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow, stepOrThrow } from '@/lib/server/lookups';

export const POST = route<{ slug: string; step: string }>(async (_req, params, app) => {
  const lab = await labOrThrow(app.labs, params.slug);
  const step = stepOrThrow(lab, params.step);
  if (step.hints.length === 0) throw new AppError('no_hints', 'This step has no hints.', { status: 404 });
  const learner = await currentLearner(app.secret);
  const shown = app.progress.revealHint(learner, lab.slug, step.id, step.hints.length);
  return Response.json({ hints: step.hints.slice(0, shown), remaining: step.hints.length - shown });
});
