// Reset file: the lab's starter version replaces the learner's (the page asks first).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http';
import { editorContext } from '@/lib/editor/context';

type Ctx = { params: Promise<{ slug: string }> };
const Body = z.strictObject({ path: z.string() });

export const POST = route(async (req: Request, { params }: Ctx) => {
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"path"}.', { status: 400 });
  const { lab, sandbox, service, checkSoon } = await editorContext((await params).slug);
  const file = await service.reset(sandbox.id, lab, body.data.path);
  checkSoon();
  return Response.json(file);
});
