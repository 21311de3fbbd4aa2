// Monaco's dark theme with comments readable: vs-dark draws them #608b4e on #1e1e1e (contrast 4.2:1, under WCAG's
// 4.5:1, and the starter files explain themselves in comments); here they are #8fbf7f (7.9:1). Everything else is
// vs-dark's.
import type { Monaco } from '@monaco-editor/react';

export const EDITOR_THEME = 'ebpf-labs-dark';

export function defineEditorTheme(monaco: Monaco): void {
  monaco.editor.defineTheme(EDITOR_THEME, {
    base: 'vs-dark',
    inherit: true,
    rules: [{ token: 'comment', foreground: '8fbf7f' }],
    colors: {},
  });
}
