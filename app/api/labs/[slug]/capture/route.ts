// Captures for the Datapath pane: GET lists the sandbox's latest ones (newest first), POST runs one now.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/http';
import { labOrThrow, runningSandboxOrThrow } from '@/lib/labs/lookup';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string }> };
const Body = z.strictObject({ traffic: z.boolean().default(true) });

export const GET = route(async (_req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const sandbox = await runningSandboxOrThrow(await currentLearner(), lab);
  return Response.json({ captures: getServices().captures.list(sandbox.id) });
});

export const POST = route(async (req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const datapath = lab.meta.datapath;
  if (!datapath?.capture) throw new AppError('no_capture', 'This lab has no capture.', { status: 404, hint: 'Use tcpdump in a terminal.' });
  const body = Body.safeParse(await req.json().catch(() => ({})));
  if (!body.success) throw new AppError('bad_request', 'The request body must be {"traffic": true|false}.', { status: 400 });
  const sandbox = await runningSandboxOrThrow(await currentLearner(), lab);
  const services = getServices();
  const { driver } = await services.engine.get();
  const capture = await services.captures.capture(driver, sandbox.id, datapath, body.data.traffic);
  return Response.json({ capture, captures: services.captures.list(sandbox.id) });
});
