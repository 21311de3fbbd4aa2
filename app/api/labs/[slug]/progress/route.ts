// The learner's progress in a lab.
import { currentLearner, route } from '@/lib/server/http';
import { labOrThrow } from '@/lib/server/lookups';

export const GET = route<{ slug: string }>(async (_req, { slug }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  return Response.json(app.progress.forLab(await currentLearner(app.secret), lab));
});
