// The class as the instructor view shows it: every learner's progress and sandbox, per-step figures, the warm pool.
import { adminRoute } from '@/lib/server/http';

export const GET = adminRoute(async (_req, _params, app) => Response.json(await app.instructor.snapshot(), { headers: { 'cache-control': 'no-store' } }));
