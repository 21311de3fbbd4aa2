// The Check button: runs a step's check now and answers with its outcome (the page also gets it on /ws/lab).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/http';
import { labOrThrow, runningSandboxOrThrow, stepOrThrow } from '@/lib/labs/lookup';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string }> };
const Body = z.object({ step: z.string().max(100) });

export const POST = route(async (req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"step": "<step id>"}.', { status: 400 });
  const step = stepOrThrow(lab, body.data.step);
  const learner = await currentLearner();
  await runningSandboxOrThrow(learner, lab);
  const [outcome] = await getServices().checks.check(learner, lab.slug, 'button', step.id);
  return Response.json(outcome ?? { step: step.id, passed: false, message: 'The check could not run.' });
});
