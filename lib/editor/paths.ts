// Paths the editor API accepts: relative to the lab's workspace, never leaving it. The sandbox side (lab-file)
// checks again after resolving symlinks; this refuses the obvious cases early with a message that says why.
import { AppError } from '../errors';

/** Bigger files are refused: the editor is for sources, and every save crosses the Docker API. */
export const FILE_SIZE_LIMIT = 256 * 1024;
const MAX_PATH = 200;

export function checkWorkspacePath(raw: unknown): string {
  const bad = (message: string) => new AppError('bad_path', message, { status: 400, hint: 'Give a path inside the lab\'s workspace, e.g. sockops.bpf.c.' });
  if (typeof raw !== 'string' || raw === '') throw bad('No file path was given.');
  if (raw.length > MAX_PATH) throw bad(`The path is longer than ${MAX_PATH} characters.`);
  if (raw.includes('\0')) throw bad('The path contains a NUL byte.');
  if (raw.startsWith('/')) throw bad(`"${raw}" is an absolute path: only paths inside the workspace are allowed.`);
  if (raw.includes('\\')) throw bad(`"${raw}" contains a backslash: use "/" between directories.`);
  const segments = raw.split('/');
  if (segments.some((s) => s === '..')) throw bad(`"${raw}" goes up with "..": only paths inside the workspace are allowed.`);
  if (segments.some((s) => s === '' || s === '.')) throw bad(`"${raw}" has an empty or "." segment.`);
  if (!/^[\w.+@ -]+$/.test(segments.join(''))) throw bad(`"${raw}" contains characters a lab file name does not use.`);
  return raw;
}
