// The editor's calls to the server, typed; errors come back as ApiError (message + hint) for the pane to show.
import { api } from '@/components/common/api';
import type { BuildResult, FileContent, FileStatus, FileVersion, LoadResult } from '@/lib/editor/types';

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

export type EditorApi = ReturnType<typeof editorApi>;

export function editorApi(lab: string) {
  const base = `/api/labs/${encodeURIComponent(lab)}`;
  const q = (path: string) => `?path=${encodeURIComponent(path)}`;
  return {
    list: () => api<FileList>(`${base}/files`),
    read: (path: string) => api<FileContent>(`${base}/files/content${q(path)}`),
    save: (path: string, content: string, baseSha: string) =>
      api<FileVersion & { path: string }>(`${base}/files/content`, { method: 'PUT', body: JSON.stringify({ path, content, base: baseSha }) }),
    reset: (path: string) => api<FileContent>(`${base}/files/reset`, { method: 'POST', body: JSON.stringify({ path }) }),
    solution: (path: string) => api<{ path: string; step: string; content: string }>(`${base}/files/solution${q(path)}`),
    build: () => api<BuildResult>(`${base}/editor/build`, { method: 'POST', body: '{}' }),
    load: () => api<LoadResult>(`${base}/editor/load`, { method: 'POST', body: '{}' }),
  };
}

export function languageOf(path: string): string {
  if (/\.(c|h)$/.test(path)) return 'c';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.sh$/.test(path)) return 'shell';
  if (/\.json$/.test(path)) return 'json';
  return 'plaintext';
}
