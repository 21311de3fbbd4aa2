// Workspace paths, for the lab format (editor files in lab.yaml) and the editor API: relative to the lab's workspace,
// never leaving it. The sandbox side (lab-file) checks again after resolving symlinks; this refuses the obvious cases
// early with a message that says why.
import { AppError } from '../errors';

/** Bigger files are refused: the editor is for sources, and every save crosses the Docker API. */
export const FILE_SIZE_LIMIT = 256 * 1024;
const MAX_PATH = 200;

/** Why raw is not a path inside a workspace, or undefined when it is one. The lab schema uses it too. */
export function workspacePathProblem(raw: string): string | undefined {
  if (raw === '') return 'No file path was given.';
  if (raw.length > MAX_PATH) return `The path is longer than ${MAX_PATH} characters.`;
  if (raw.includes('\0')) return 'The path contains a NUL byte.';
  if (raw.startsWith('/')) return `"${raw}" is an absolute path: only paths inside the workspace are allowed.`;
  if (raw.includes('\\')) return `"${raw}" contains a backslash: use "/" between directories.`;
  const segments = raw.split('/');
  if (segments.some((s) => s === '..')) return `"${raw}" goes up with "..": only paths inside the workspace are allowed.`;
  if (segments.some((s) => s === '' || s === '.')) return `"${raw}" has an empty or "." segment.`;
  if (!/^[\w.+@ -]+$/.test(segments.join(''))) return `"${raw}" contains characters a lab file name does not use.`;
  return undefined;
}

export function checkWorkspacePath(raw: unknown): string {
  const problem = typeof raw === 'string' ? workspacePathProblem(raw) : 'No file path was given.';
  if (problem) throw new AppError('bad_path', problem, { status: 400, hint: 'Give a path inside the lab\'s workspace, e.g. sockops.bpf.c.' });
  return raw as string;
}
