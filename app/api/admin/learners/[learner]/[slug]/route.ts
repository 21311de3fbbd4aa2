// The instructor's actions on one learner's sandbox in a lab: POST {"action": "reset"} (a fresh sandbox, progress
// kept) or {"action": "stop"}. The learner's page is told; the server log says who did it.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { adminRoute, clientAddress } from '@/lib/server/http';
import { labOrThrow } from '@/lib/server/lookups';

const Body = z.strictObject({ action: z.enum(['reset', 'stop']) });

export const POST = adminRoute<{ learner: string; slug: string }>(async (req, { learner, slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"action": "reset"} or {"action": "stop"}.', { status: 400 });
  const by = clientAddress(req);
  if (body.data.action === 'reset') await app.instructor.resetSandbox(learner, lab, by);
  else await app.instructor.stopSandbox(learner, lab, by);
  return Response.json({ ok: true });
});
