// The reference version of an editor file, for Compare: only once the learner revealed that step's solution.
import { route } from '@/lib/http';
import { editorContext } from '@/lib/editor/context';

type Ctx = { params: Promise<{ slug: string }> };

export const GET = route(async (req: Request, { params }: Ctx) => {
  const { lab, sandbox, service, revealed } = await editorContext((await params).slug);
  return Response.json(await service.solution(sandbox.id, lab, new URL(req.url).searchParams.get('path') ?? '', revealed));
});
