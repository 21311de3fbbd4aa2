// Build: the lab's build command in the workspace; clang's diagnostics come back as markers.
import { route } from '@/lib/http';
import { editorContext } from '@/lib/editor/context';

type Ctx = { params: Promise<{ slug: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const { lab, sandbox, service, checkSoon } = await editorContext((await params).slug);
  const result = await service.build(sandbox.id, lab);
  checkSoon();
  return Response.json(result);
});
