// The learner's sandbox for a lab: GET its status, POST to start it, DELETE to stop and remove it.
import { currentLearner, route } from '@/lib/http';
import { labOrThrow } from '@/lib/labs/lookup';
import { statusToJson } from '@/lib/sandbox/manager';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string }> };

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
  const services = getServices();
  services.progress.touchLab(owner, slug);
  const manager = await services.sandboxes();
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
