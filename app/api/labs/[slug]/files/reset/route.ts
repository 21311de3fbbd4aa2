// Reset file: the lab's starter version replaces the learner's (the page asks first).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { editorContext } from '@/lib/server/editor-context';
import { route } from '@/lib/server/http';

const Body = z.strictObject({ path: z.string() });

export const POST = route<{ slug: string }>(async (req, { slug }, app) => {
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"path"}.', { status: 400 });
  const { lab, sandbox, service, checkSoon } = await editorContext(app, slug);
  const file = await service.reset(sandbox.id, lab, body.data.path);
  checkSoon();
  return Response.json(file);
});
