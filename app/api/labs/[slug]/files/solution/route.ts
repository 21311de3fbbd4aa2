// The reference version of an editor file, for Compare: only once the learner revealed that step's solution.
import { editorContext } from '@/lib/server/editor-context';
import { route } from '@/lib/server/http';

export const GET = route<{ slug: string }>(async (req, { slug }, app) => {
  const { lab, sandbox, service, revealed } = await editorContext(app, slug);
  return Response.json(await service.solution(sandbox.id, lab, new URL(req.url).searchParams.get('path') ?? '', revealed));
});
