// A benchmark run as a download: ?format=json (run, summary, samples) or ?format=csv (one row per sample).
import { toCsv, toJson } from '@/lib/bench/export';
import { summarizeSamples } from '@/lib/bench/model';
import { labProfile, modeNames, modeRoles } from '@/lib/bench/profile';
import { currentLearner, route } from '@/lib/server/http';
import { ownRunOrThrow } from '@/lib/server/lookups';

export const GET = route<{ id: string }>(async (req, { id }, app) => {
  const run = ownRunOrThrow(app.benchStore, await currentLearner(app.secret), id);
  const samples = app.benchStore.samples(run.id);
  // The lab's own modes, when it lists them; a run of a lab since removed keeps the default roles.
  const profile = await app.labs.get(run.lab).then((l) => (l ? labProfile(l) : undefined), () => undefined);
  const csv = new URL(req.url).searchParams.get('format') === 'csv';
  const name = `bench-${run.lab}-${run.id}.${csv ? 'csv' : 'json'}`;
  return new Response(csv ? toCsv(run, samples) : toJson({ run, summary: summarizeSamples(samples, modeRoles(profile), modeNames(profile)), samples }), {
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json',
      'content-disposition': `attachment; filename="${name}"`,
    },
  });
});
