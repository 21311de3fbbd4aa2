// Reveals the step's reference solution. A step completed after this counts as solved with help.
import { currentLearner, route } from '@/lib/http';
import { labOrThrow, stepOrThrow } from '@/lib/labs/lookup';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string; step: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const { slug, step: stepId } = await params;
  const lab = await labOrThrow(slug);
  const step = stepOrThrow(lab, stepId);
  const learner = await currentLearner();
  const services = getServices();
  services.progress.revealSolution(learner, lab.slug, step.id);
  services.checks.publishProgress(learner, lab);
  return Response.json({ step: step.id, solution: step.solution, terminal: step.terminal });
});
