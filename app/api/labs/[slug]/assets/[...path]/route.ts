// Images and diagrams of a lab (labs/<slug>/images/...), read-only, never outside the lab's directory.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/server/http';
import { labOrThrow } from '@/lib/server/lookups';

const TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

export const GET = route<{ slug: string; path: string[] }>(async (_req, { slug, path: parts }, app) => {
  const lab = await labOrThrow(app.labs, slug);
  const file = path.resolve(lab.dir, ...parts);
  const type = TYPES[path.extname(file).toLowerCase()];
  if (!file.startsWith(lab.dir + path.sep) || !type) {
    throw new AppError('not_found', 'No such image in this lab.', { status: 404 });
  }
  const data = await readFile(file).catch(() => {
    throw new AppError('not_found', 'No such image in this lab.', { status: 404 });
  });
  // SVGs may hold scripts: never let one run in the app's origin.
  return new Response(new Uint8Array(data), {
    headers: { 'content-type': type, 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", 'cache-control': 'public, max-age=300' },
  });
});
