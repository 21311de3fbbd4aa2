// The Check button: runs a step's check now and answers with its outcome (the page also gets it on /ws/lab).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow, runningSandboxOrThrow, stepOrThrow } from '@/lib/server/lookups';

const Body = z.object({ step: z.string().max(100) });

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"step": "<step id>"}.', { status: 400 });
  const step = stepOrThrow(lab, body.data.step);
  const learner = await currentLearner(app.secret);
  const sandbox = await runningSandboxOrThrow(await app.sandboxes(), learner, lab);
  const [outcome] = await app.checks.check({ learner, lab, sandbox }, 'button', step.id);
  return Response.json(outcome ?? { step: step.id, passed: false, message: 'The check could not run.' });
});
