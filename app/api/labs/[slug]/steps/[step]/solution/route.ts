// Reveals the step's reference solution. A step completed after this counts as solved with help. The learner may run
// the solution from the page, so the lab's solution files go into their sandbox now (only now: they are the answer).
import { copySolutionFiles } from '@/lib/labs/setup';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow, stepOrThrow } from '@/lib/server/lookups';

export const POST = route<{ slug: string; step: string }>(async (_req, params, app) => {
  const lab = await labOrThrow(app.labs, params.slug);
  const step = stepOrThrow(lab, params.step);
  const learner = await currentLearner(app.secret);
  const sandbox = lab.solutionFiles.length ? await (await app.sandboxes()).find(learner, lab.slug) : undefined;
  if (sandbox) await copySolutionFiles((await app.engine.get()).driver, sandbox.id, lab);
  app.progress.revealSolution(learner, lab.slug, step.id);
  app.events.publish(learner, lab.slug, { type: 'progress', progress: app.progress.forLab(learner, lab) });
  return Response.json({ step: step.id, solution: step.solution, terminal: step.terminal });
});
