// The learner's sandbox for a lab: GET its status, POST to start it, DELETE to stop and remove it.
import { AppError } from '@/lib/errors';
import { currentLearner, route } from '@/lib/http';
import { getServices } from '@/lib/services';
import { statusToJson } from '@/lib/sandbox/manager';

type Ctx = { params: Promise<{ slug: string }> };

async function labOrThrow(slug: string) {
  const lab = await getServices().labs.get(slug);
  if (!lab) throw new AppError('lab_not_found', `There is no lab "${slug}".`, { status: 404, hint: 'Pick a lab from the catalog.' });
  return lab;
}

export const GET = route(async (_req: Request, { params }: Ctx) => {
  const { slug } = await params;
  await labOrThrow(slug);
  const owner = await currentLearner();
  const manager = await getServices().sandboxes();
  await manager.find(owner, slug); // notices a sandbox that died since
  return Response.json(statusToJson(manager.status(owner, slug)));
});

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const { slug } = await params;
  await labOrThrow(slug);
  const owner = await currentLearner();
  const manager = await getServices().sandboxes();
  await manager.start(owner, slug);
  return Response.json(statusToJson(manager.status(owner, slug)));
});

export const DELETE = route(async (_req: Request, { params }: Ctx) => {
  const { slug } = await params;
  const owner = await currentLearner();
  const manager = await getServices().sandboxes();
  const stopped = await manager.stop(owner, slug);
  return Response.json({ state: 'none', stopped });
});
