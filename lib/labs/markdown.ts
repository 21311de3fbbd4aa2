// Step markdown to HTML: GitHub-flavoured markdown, GitHub-style admonitions (> [!NOTE]), lab-relative images, and
// shell blocks with Run / Copy buttons. The buttons are plain HTML; components/steps/step-content.tsx wires them.
import { Marked, type Tokens } from 'marked';

const RUNNABLE = new Set(['sh', 'bash', 'shell', 'console']);
const ADMONITIONS = ['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION'] as const;

export interface CodeBlockInfo {
  lang: string;
  /** Terminal tab the Run button types into; undefined = the step's default tab. */
  tab?: string;
  runnable: boolean;
}

/** Parses a fence info string: "sh", "sh tab=server", "bash norun". */
export function parseFenceInfo(info: string | undefined): CodeBlockInfo {
  const [lang = '', ...attrs] = (info ?? '').trim().split(/\s+/);
  let tab: string | undefined;
  let norun = false;
  for (const a of attrs) {
    if (a === 'norun') norun = true;
    else if (a.startsWith('tab=')) tab = a.slice(4);
  }
  return { lang, tab, runnable: RUNNABLE.has(lang) && !norun };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The command a Run button sends: the block's text, without "$ " prompts when the author wrote them. */
export function commandOf(text: string): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  return lines.every((l) => l.startsWith('$ ') || l.trim() === '')
    ? lines.map((l) => l.replace(/^\$ /, '')).join('\n')
    : lines.join('\n');
}

export interface RenderOptions {
  /** URL prefix for images given as relative paths (the lab's asset route). */
  assetBase: string;
  /** Tab used when a block names none. */
  defaultTab: string;
  /** Known tab names: a block naming another is reported. */
  tabs: string[];
  /** A problem in a code block; `fence` is its info string (e.g. "sh tab=srever"), to find its line. */
  onProblem?: (message: string, fence?: string) => void;
}

export function renderStepMarkdown(markdown: string, opts: RenderOptions): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      code({ text, lang }: Tokens.Code) {
        const info = parseFenceInfo(lang);
        if (info.tab && !opts.tabs.includes(info.tab)) {
          opts.onProblem?.(`code block names terminal "${info.tab}", which lab.yaml does not define (terminals: ${opts.tabs.join(', ')})`, lang);
        }
        const tab = info.tab ?? opts.defaultTab;
        const buttons = [
          info.runnable
            ? `<button type="button" class="code-action" data-action="run" title="Type this into the ${escapeHtml(tab)} terminal">Run</button>`
            : '',
          `<button type="button" class="code-action" data-action="copy" title="Copy to the clipboard">Copy</button>`,
        ].join('');
        const label = info.runnable ? `<span class="code-tab">${escapeHtml(tab)}</span>` : '';
        return (
          `<div class="code-block" data-tab="${escapeHtml(tab)}" data-runnable="${info.runnable}">` +
          `<div class="code-toolbar">${label}${buttons}</div>` +
          `<pre><code class="language-${escapeHtml(info.lang || 'text')}">${escapeHtml(text)}</code></pre></div>\n`
        );
      },
      blockquote(this: { parser: { parse(tokens: Tokens.Generic[]): string } }, { tokens, text }: Tokens.Blockquote) {
        const kind = /^\s*\[!(\w+)\]/.exec(text)?.[1]?.toUpperCase();
        const html = this.parser.parse(tokens);
        if (!kind || !ADMONITIONS.includes(kind as (typeof ADMONITIONS)[number])) {
          return `<blockquote>${html}</blockquote>\n`;
        }
        const body = html.replace(/^<p>\s*\[!\w+\]\s*/, '<p>').replace(/^<p><\/p>\s*/, '');
        const title = kind.charAt(0) + kind.slice(1).toLowerCase();
        return `<div class="admonition admonition-${kind.toLowerCase()}"><p class="admonition-title">${title}</p>${body}</div>\n`;
      },
      image({ href, title, text }: Tokens.Image) {
        const src = /^(https?:|data:|\/)/.test(href) ? href : `${opts.assetBase}/${href.replace(/^\.\//, '')}`;
        const t = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(src)}" alt="${escapeHtml(text)}"${t} loading="lazy">`;
      },
    },
  });
  return marked.parse(markdown, { async: false }) as string;
}
