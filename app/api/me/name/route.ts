// The learner's name for the instructor's view: PUT {"name": "..."} sets it, {"name": null} or "" removes it.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { parseDisplayName } from '@/lib/progress/display-name';
import { currentLearner, route } from '@/lib/server/http';

const Body = z.strictObject({ name: z.unknown() });

export const GET = route(async (_req, _params, app) => Response.json({ name: app.progress.displayName(await currentLearner(app.secret)) ?? null }));

export const PUT = route(async (req, _params, app) => {
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"name": "<your name>"}.', { status: 400 });
  const name = parseDisplayName(body.data.name);
  app.progress.setDisplayName(await currentLearner(app.secret), name);
  return Response.json({ name });
});
