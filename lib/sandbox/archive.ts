// Tar archives for copying files into and out of a sandbox (the engine's archive API speaks tar).
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { AppError } from '../errors';
import type { FileEntry } from './types';

/** Largest file copyOut returns; the editor and the checks never need more. */
export const COPY_OUT_LIMIT = 8 * 1024 * 1024;

/**
 * Resolves `entry` against `directory` (both POSIX, directory absolute) and refuses anything that would land
 * outside it, such as "../etc/passwd" or an absolute path elsewhere.
 */
export function resolveInside(directory: string, entry: string): string {
  if (!path.posix.isAbsolute(directory)) {
    throw new AppError('bad_path', `"${directory}" is not an absolute directory.`, { status: 400 });
  }
  const base = path.posix.normalize(directory);
  const full = path.posix.resolve(base, entry);
  const rel = path.posix.relative(base, full);
  if (rel === '' || rel.startsWith('..') || path.posix.isAbsolute(rel) || entry.includes('\0')) {
    throw new AppError('path_outside_workspace', `"${entry}" is outside ${base}.`, {
      status: 400,
      hint: `Use a path inside ${base}.`,
    });
  }
  return full;
}

export async function packFiles(directory: string, files: FileEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  // Read while writing: an entry's callback waits until the pack's buffer drains, so collecting only after the last
  // entry never ends once the files outgrow that buffer (about 16 KiB).
  const chunks: Buffer[] = [];
  const packed = new Promise<Buffer>((resolve, reject) => {
    // tar-stream's types say unknown; a pack emits Buffers.
    pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  for (const f of files) {
    const name = resolveInside(directory, f.path).slice(1); // archive names are relative to /
    const content = typeof f.content === 'string' ? Buffer.from(f.content) : f.content;
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name, mode: f.mode ?? 0o644, size: content.length }, content, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
  pack.finalize();
  return packed;
}

/** Reads the one regular file of an archive produced by the engine for `filePath`. */
export async function readSingleFile(archive: Readable, filePath: string): Promise<Buffer> {
  const extract = tar.extract();
  archive.pipe(extract);
  let result: Buffer | undefined;
  let first = true;
  for await (const entry of extract) {
    // The archive of a directory starts with the directory itself: that is not a file, whatever follows.
    const wanted = first && entry.header.type === 'file';
    first = false;
    if (wanted) {
      if (entry.header.size !== undefined && entry.header.size > COPY_OUT_LIMIT) {
        archive.destroy();
        throw new AppError('file_too_large', `${filePath} is larger than ${COPY_OUT_LIMIT} bytes.`, { status: 413 });
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      result = Buffer.concat(chunks);
    } else {
      entry.resume();
    }
  }
  if (result === undefined) {
    throw new AppError('not_a_file', `${filePath} is not a regular file.`, { status: 400 });
  }
  return result;
}
