// A message from the instructor to every open lab page (and to pages opened in the next minutes).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { adminRoute, clientAddress } from '@/lib/server/http';

const Body = z.strictObject({ message: z.string() });

export const POST = adminRoute(async (req, _params, app) => {
  const body = Body.safeParse(await req.json().catch(() => undefined));
  if (!body.success) throw new AppError('bad_request', 'The request needs {"message": "<text>"}.', { status: 400 });
  return Response.json(app.instructor.broadcast(body.data.message, clientAddress(req)));
});
