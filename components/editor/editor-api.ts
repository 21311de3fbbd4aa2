// The editor's calls to the server, typed; errors come back as ApiError (message + hint) for the pane to show.
import type { ApiError } from '@/components/lab/use-sandbox';
import type { BuildResult, FileContent, FileStatus, FileVersion, LoadResult } from '@/lib/editor/service';

export type { BuildResult, FileContent, FileStatus, FileVersion, LoadResult };

export interface EditorFileInfo extends FileStatus {
  solution?: { step: string; revealed: boolean };
}

export interface FileList {
  workspace: string;
  build: boolean;
  load: boolean;
  files: EditorFileInfo[];
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly apiError: ApiError,
  ) {
    super(apiError.message);
  }
}

export function editorApi(lab: string) {
  const base = `/api/labs/${encodeURIComponent(lab)}`;
  const call = async <T>(url: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(url, init?.body ? { ...init, headers: { 'content-type': 'application/json' } } : init);
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiFailure(res.status, body.error ?? { code: 'http', message: `The server answered ${res.status}.` });
    return body as T;
  };
  const q = (path: string) => `?path=${encodeURIComponent(path)}`;
  return {
    list: () => call<FileList>(`${base}/files`),
    read: (path: string) => call<FileContent>(`${base}/files/content${q(path)}`),
    save: (path: string, content: string, baseSha: string) =>
      call<FileVersion & { path: string }>(`${base}/files/content`, { method: 'PUT', body: JSON.stringify({ path, content, base: baseSha }) }),
    reset: (path: string) => call<FileContent>(`${base}/files/reset`, { method: 'POST', body: JSON.stringify({ path }) }),
    solution: (path: string) => call<{ path: string; step: string; content: string }>(`${base}/files/solution${q(path)}`),
    build: () => call<BuildResult>(`${base}/editor/build`, { method: 'POST', body: '{}' }),
    load: () => call<LoadResult>(`${base}/editor/load`, { method: 'POST', body: '{}' }),
  };
}

export function languageOf(path: string): string {
  if (/\.(c|h)$/.test(path)) return 'c';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.sh$/.test(path)) return 'shell';
  if (/\.json$/.test(path)) return 'json';
  return 'plaintext';
}
