// A benchmark run as a download: ?format=json (run, summary, samples) or ?format=csv (one row per sample).
import { toCsv, toJson } from '@/lib/bench/export';
import { ownRunOrThrow } from '@/lib/bench/lookup';
import { summarizeSamples } from '@/lib/bench/model';
import { currentLearner, route } from '@/lib/http';
import { getServices } from '@/lib/services';

type Ctx = { params: Promise<{ id: string }> };

export const GET = route(async (req: Request, { params }: Ctx) => {
  const run = ownRunOrThrow(await currentLearner(), (await params).id);
  const samples = getServices().benchStore.samples(run.id);
  const csv = new URL(req.url).searchParams.get('format') === 'csv';
  const name = `bench-${run.lab}-${run.id}.${csv ? 'csv' : 'json'}`;
  return new Response(csv ? toCsv(run, samples) : toJson({ run, summary: summarizeSamples(samples), samples }), {
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json',
      'content-disposition': `attachment; filename="${name}"`,
    },
  });
});
