// POST .../editor/build: the lab's build command in the workspace; clang's diagnostics come back as markers.
// POST .../editor/load: the lab's load command (e.g. accelctl on ~/lab); a refused program comes back with its
// verifier log. Either can complete a step, so the checks run right after.
import { AppError } from '@/lib/errors';
import { editorContext } from '@/lib/server/editor-context';
import { route } from '@/lib/server/http';

export const POST = route<{ slug: string; action: string }>(async (_req, { slug, action }, app) => {
  if (action !== 'build' && action !== 'load') throw new AppError('not_found', `There is no editor action "${action}".`, { status: 404 });
  const { lab, sandbox, service, checkSoon } = await editorContext(app, slug);
  const result = action === 'build' ? await service.build(sandbox.id, lab) : await service.load(sandbox.id, lab);
  checkSoon();
  return Response.json(result);
});
