// The class's progress as CSV (one row per learner and lab), for a spreadsheet or a grade book.
import { classCsv } from '@/lib/class/report';
import { adminRoute } from '@/lib/server/http';

export const GET = adminRoute(async (_req, _params, app) => {
  const { report } = await app.instructor.snapshot();
  const day = new Date(report.at).toISOString().slice(0, 10);
  return new Response(classCsv(report), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="ebpf-labs-class-${day}.csv"`,
      'cache-control': 'no-store',
    },
  });
});
