import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from './loader';
import { labScripts, lintLabScripts } from './script-lint';

function lab(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lint-'));
  const all = { 'lab.yaml': 'title: Lint\nsummary: A lab for testing the script linter.\nduration: 5\ndifficulty: beginner\n', ...files };
  for (const [f, c] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, 'lint', f)), { recursive: true });
    writeFileSync(path.join(root, 'lint', f), c);
  }
  return root;
}

describe('lintLabScripts', () => {
  it('reports bash syntax errors and ShellCheck warnings at the file and line the author edits', async () => {
    const root = lab({
      'steps/01-a.md': ['---', 'mistakes:', '  - name: broken', '    what: a broken run script', '    expect: nope', '    run: |', '      true', '      if then fi', '---', '# A', ''].join('\n'),
      'checks/01-a.sh': '#!/bin/bash\n. /opt/ebpf-labs/lib/check.sh\necho "looking at $LAB_CGROUP"\nif [ -e /x ]; then\n  pass "ok"\n',
      'solutions/01-a.sh': 'cd /tmp\ntouch flag\n',
    });
    const { lab: l, problems } = await loadLab(root, 'lint');
    expect(problems).toEqual([]);
    const sources = new Map([['01-a', readFileSync(path.join(root, 'lint/steps/01-a.md'), 'utf8')]]);
    const found = await lintLabScripts(l!, labScripts(l!, sources));
    expect(found.map((p) => [p.file, p.line, p.message])).toEqual([
      ['checks/01-a.sh', 6, expect.stringMatching(/^bash: syntax error/)],
      ['solutions/01-a.sh', 1, expect.stringMatching(/^shellcheck warning: Use 'cd \.\.\. \|\| exit'.*SC2164/)],
      ['steps/01-a.md', 8, expect.stringMatching(/^bash: syntax error near unexpected token `then'/)],
    ]);
  });

  it('lints a step\'s lighter replay at its line in the step file', async () => {
    const root = lab({
      'steps/01-a.md': ['---', 'replay:', '  why: the later steps read nothing of it', '  run: |', '    true', '    if then fi', '---', '# A', ''].join('\n'),
      'checks/01-a.sh': 'true\n',
      'solutions/01-a.sh': 'true\n',
    });
    const { lab: l, problems } = await loadLab(root, 'lint');
    expect(problems).toEqual([]);
    expect(l!.steps[0]!.replay).toEqual({ run: 'true\nif then fi\n', why: 'the later steps read nothing of it' });
    const sources = new Map([['01-a', readFileSync(path.join(root, 'lint/steps/01-a.md'), 'utf8')]]);
    const found = await lintLabScripts(l!, labScripts(l!, sources));
    expect(found.map((p) => [p.file, p.line, p.message])).toEqual([['steps/01-a.md', 6, expect.stringMatching(/^bash: syntax error/)]]);
  });

  it('finds nothing in clean scripts (the lab environment and sourced helpers are known)', async () => {
    const root = lab({
      'steps/01-a.md': '# A\n',
      'checks/01-a.sh': '. /opt/ebpf-labs/lib/check.sh\n[ -d "$LAB_CGROUP" ] || fail no-cgroup "no cgroup"\npass "ok"\n',
      'solutions/01-a.sh': 'true\n',
    });
    const { lab: l } = await loadLab(root, 'lint');
    expect(await lintLabScripts(l!, labScripts(l!, new Map()))).toEqual([]);
  });
});
