// Captures for the Datapath pane: GET lists the sandbox's latest ones (newest first), POST runs one now.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow, runningSandboxOrThrow } from '@/lib/server/lookups';

const Body = z.strictObject({ traffic: z.boolean().default(true) });

export const GET = route<{ slug: string }>(async (_req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const sandbox = await runningSandboxOrThrow(await app.sandboxes(), await currentLearner(app.secret), lab);
  return Response.json({ captures: app.captures.list(sandbox.id) });
});

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const datapath = lab.meta.datapath;
  if (!datapath?.capture) throw new AppError('no_capture', 'This lab has no capture.', { status: 404, hint: 'Use tcpdump in a terminal.' });
  const body = Body.safeParse(await req.json().catch(() => ({})));
  if (!body.success) throw new AppError('bad_request', 'The request body must be {"traffic": true|false}.', { status: 400 });
  const sandbox = await runningSandboxOrThrow(await app.sandboxes(), await currentLearner(app.secret), lab);
  const { driver } = await app.engine.get();
  const capture = await app.captures.capture(driver, sandbox.id, datapath, body.data.traffic);
  return Response.json({ capture, captures: app.captures.list(sandbox.id) });
});
