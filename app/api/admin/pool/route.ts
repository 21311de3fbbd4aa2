// The warm pool's targets, set before a class: PUT {"targets": {"<lab>": n}} (0 or absent: none for that lab).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { adminRoute, clientAddress } from '@/lib/server/http';

const Body = z.strictObject({ targets: z.record(z.string(), z.unknown()) });

export const PUT = adminRoute(async (req, _params, app) => {
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"targets": {"<lab>": <count>}}.', { status: 400 });
  await app.instructor.setPoolTargets(body.data.targets, clientAddress(req));
  return Response.json({ pool: (await app.instructor.snapshot()).pool });
});
