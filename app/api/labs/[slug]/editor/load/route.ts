// Load: the lab's load command (e.g. accelctl on ~/lab); a refused program comes back with its verifier log.
import { route } from '@/lib/http';
import { editorContext } from '@/lib/editor/context';

type Ctx = { params: Promise<{ slug: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const { lab, sandbox, service, checkSoon } = await editorContext((await params).slug);
  const result = await service.load(sandbox.id, lab);
  checkSoon();
  return Response.json(result);
});
