// Reveals the step's next hint; answers with every hint revealed so far.
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/http';
import { labOrThrow, stepOrThrow } from '@/lib/labs/lookup';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string; step: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const { slug, step: stepId } = await params;
  const lab = await labOrThrow(slug);
  const step = stepOrThrow(lab, stepId);
  if (step.hints.length === 0) throw new AppError('no_hints', 'This step has no hints.', { status: 404 });
  const learner = await currentLearner();
  const shown = getServices().progress.revealHint(learner, lab.slug, step.id, step.hints.length);
  return Response.json({ hints: step.hints.slice(0, shown), remaining: step.hints.length - shown });
});
