// POST .../editor/build: the lab's build command in the workspace; clang's diagnostics come back as markers.
// POST .../editor/load: the lab's load command (e.g. accelctl on ~/lab); a refused program comes back with its
// verifier log. Either can complete a step, so the checks run right after.
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http';
import { editorContext } from '@/lib/editor/context';

type Ctx = { params: Promise<{ slug: string; action: string }> };

export const POST = route(async (_req: Request, { params }: Ctx) => {
  const { slug, action } = await params;
  if (action !== 'build' && action !== 'load') throw new AppError('not_found', `There is no editor action "${action}".`, { status: 404 });
  const { lab, sandbox, service, checkSoon } = await editorContext(slug);
  const result = action === 'build' ? await service.build(sandbox.id, lab) : await service.load(sandbox.id, lab);
  checkSoon();
  return Response.json(result);
});
