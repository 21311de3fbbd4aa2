// Labs whose solution scripts carry a reference file as a heredoc (proxy-splicing: the sandbox image does not hold
// it) must carry the same file the editor's Compare shows (solutions/files): regenerate them with
// labs/proxy-splicing/solutions/files/embed.py after changing one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const lab = path.join(__dirname, '..', 'labs', 'proxy-splicing');
const heredoc = (script: string, tag: string) => {
  const text = readFileSync(path.join(lab, 'solutions', script), 'utf8');
  const start = text.indexOf(`<<'${tag}'\n`);
  return text.slice(start + tag.length + 5, text.indexOf(`\n${tag}\n`, start) + 1);
};

describe('proxy-splicing solution scripts', () => {
  it('write the reference files of solutions/files', () => {
    expect(heredoc('03-splice.sh', 'END_OF_SPLICE_PROXY_C')).toBe(readFileSync(path.join(lab, 'solutions/files/splice-proxy.c'), 'utf8'));
    expect(heredoc('04-the-verdict-program.sh', 'END_OF_SPLICE_BPF_C')).toBe(readFileSync(path.join(lab, 'solutions/files/splice.bpf.c'), 'utf8'));
  });
});
