// The learner's progress in a lab.
import { currentLearner, route } from '@/lib/http';
import { labOrThrow } from '@/lib/labs/lookup';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ slug: string }> };

export const GET = route(async (_req: Request, { params }: Ctx) => {
  const lab = await labOrThrow((await params).slug);
  const learner = await currentLearner();
  return Response.json(getServices().progress.get(learner, lab.slug, lab.steps.map((s) => s.id)));
});
