import { describe, expect, it } from 'vitest';
import { commandOf, parseFenceInfo, renderStepMarkdown } from './markdown';

const opts = { assetBase: '/api/labs/x/assets', defaultTab: 'sandbox', tabs: ['sandbox', 'server'] };

describe('step markdown', () => {
  it('gives shell blocks Run and Copy buttons aimed at a terminal tab', () => {
    const html = renderStepMarkdown('```sh tab=server\nip addr\n```\n\n```bash\nls\n```\n', opts);
    expect(html).toContain('data-tab="server" data-runnable="true"');
    expect(html).toContain('data-tab="sandbox" data-runnable="true"');
    expect(html.match(/data-action="run"/g)).toHaveLength(2);
  });
  it('gives other blocks (and norun ones) Copy only', () => {
    const html = renderStepMarkdown('```c\nint x;\n```\n\n```sh norun\nrm -rf /\n```\n', opts);
    expect(html).not.toContain('data-action="run"');
    expect(html.match(/data-action="copy"/g)).toHaveLength(2);
  });
  it('escapes code', () => {
    expect(renderStepMarkdown('```sh\necho "<b>&"\n```\n', opts)).toContain('echo &quot;&lt;b&gt;&amp;&quot;');
  });
  it('renders GitHub admonitions and plain quotes', () => {
    const html = renderStepMarkdown('> [!WARNING]\n> Careful.\n\n> Just a quote.\n', opts);
    expect(html).toMatch(/<div class="admonition admonition-warning"><p class="admonition-title">Warning<\/p><p>Careful.<\/p>/);
    expect(html).toContain('<blockquote>');
  });
  it('serves relative images from the lab and leaves absolute ones alone', () => {
    const html = renderStepMarkdown('![path](images/path.svg) ![x](https://example.org/x.png)', opts);
    expect(html).toContain('src="/api/labs/x/assets/images/path.svg"');
    expect(html).toContain('src="https://example.org/x.png"');
  });
  it('reports blocks that name an unknown terminal', () => {
    const problems: string[] = [];
    renderStepMarkdown('```sh tab=client\nls\n```\n', { ...opts, onProblem: (m) => problems.push(m) });
    expect(problems).toEqual(['code block names terminal "client", which lab.yaml does not define (terminals: sandbox, server)']);
  });
  it('renders GFM tables', () => {
    expect(renderStepMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n', opts)).toContain('<table>');
  });
});

describe('commands', () => {
  it('drop "$ " prompts when every line has one', () => {
    expect(commandOf('$ ls\n$ pwd\n')).toBe('ls\npwd');
    expect(commandOf('echo $ HOME\n')).toBe('echo $ HOME');
  });
  it('parse fence info', () => {
    expect(parseFenceInfo('console tab=client norun')).toEqual({ lang: 'console', tab: 'client', runnable: false });
    expect(parseFenceInfo(undefined)).toEqual({ lang: '', tab: undefined, runnable: false });
  });
});
