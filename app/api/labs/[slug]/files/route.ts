// The editor's file list: each editor file's current version in the sandbox (the page polls it to notice changes
// made from the terminal), with what the page may offer for it (Reset, Compare).
import { editorOf } from '@/lib/editor/service';
import { editorContext } from '@/lib/server/editor-context';
import { route } from '@/lib/server/http';

export const GET = route<{ slug: string }>(async (_req, { slug }, app) => {
  const { lab, sandbox, service, revealed } = await editorContext(app, slug);
  const { editor, workspace } = editorOf(lab);
  const status = await service.list(sandbox.id, lab);
  return Response.json({
    workspace,
    build: !!editor.build,
    load: !!editor.load,
    files: editor.files.map((f) => ({
      ...status.find((s) => s.path === f.path)!,
      solution: f.solution ? { step: f.solution.step, revealed: revealed(f.solution.step) } : undefined,
    })),
  });
});
