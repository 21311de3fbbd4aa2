// One workspace file: GET ?path= reads it; PUT {path, content, base} saves it unless it changed in the sandbox since
// the version `base` (its sha256): then 409, and nothing is overwritten.
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { editorContext } from '@/lib/server/editor-context';
import { route } from '@/lib/server/http';

const Save = z.strictObject({ path: z.string(), content: z.string(), base: z.string() });

export const GET = route<{ slug: string }>(async (req, { slug }, app) => {
  const { lab, sandbox, service } = await editorContext(app, slug);
  return Response.json(await service.read(sandbox.id, lab, new URL(req.url).searchParams.get('path') ?? ''));
});

export const PUT = route<{ slug: string }>(async (req, { slug }, app) => {
  const body = Save.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"path", "content", "base"}.', { status: 400 });
  const { lab, sandbox, service, checkSoon } = await editorContext(app, slug);
  const saved = await service.write(sandbox.id, lab, body.data.path, body.data.content, body.data.base);
  checkSoon();
  return Response.json(saved);
});
