// Monaco (the editor) served by the app itself from node_modules/monaco-editor/min/vs: no CDN, so the editor works
// on a machine with no internet. Read-only, confined to that directory.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.join(process.cwd(), 'node_modules', 'monaco-editor', 'min', 'vs');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

type Ctx = { params: Promise<{ path: string[] }> };

export async function GET(_req: Request, { params }: Ctx): Promise<Response> {
  const file = path.join(ROOT, ...(await params).path);
  const type = TYPES[path.extname(file)];
  if (!file.startsWith(ROOT + path.sep) || !type) return new Response('Not found', { status: 404 });
  try {
    // The files change only with the package version: a day of caching, revalidated after.
    return new Response(new Uint8Array(await readFile(file)), { headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' } });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
