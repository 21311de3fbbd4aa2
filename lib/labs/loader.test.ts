import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadLab, loadLabs, splitFrontMatter } from './loader';

const GOOD_YAML = `title: Good lab
summary: A lab that loads without problems.
duration: 15
difficulty: beginner
terminals:
  - name: sandbox
  - name: server
    title: server pod
    pod: server
`;

function labsDir(labs: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'labs-'));
  for (const [slug, files] of Object.entries(labs)) {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, slug, file)), { recursive: true });
      writeFileSync(path.join(root, slug, file), content);
    }
  }
  return root;
}

const step = (n: string, body = '# Do it\n\n```sh\necho hi\n```\n') => ({
  [`steps/${n}.md`]: body,
  [`checks/${n}.sh`]: 'exit 0\n',
  [`solutions/${n}.sh`]: 'true\n',
});

describe('loadLabs', () => {
  it('checks the editor: a workspace, a starter version per file, solutions of real steps, paths inside', async () => {
    const noWorkspace = labsDir({ 'no-workspace': { 'lab.yaml': `${GOOD_YAML}editor:\n  files: [x.c]\n`, ...step('01-first') } });
    expect((await loadLabs(noWorkspace)).problems.map((p) => p.message)).toContain('editor needs a workspace (the directory its files are in)');
    const yaml = `${GOOD_YAML}workspace: { from: starter, to: /root/lab }
editor:
  files:
    - x.c
    - missing.c
    - { path: y.h, starter: /opt/y.h, solution: { step: 09-nope, from: /opt/y.h } }
    - ../escape.c
`;
    const dir = labsDir({ 'editor-bad': { 'lab.yaml': yaml, 'starter/x.c': 'int x;\n', ...step('01-first') } });
    const messages = (await loadLabs(dir)).problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/a path inside the workspace/),
      ]),
    );
    const fixed = labsDir({ 'editor-fixed': { 'lab.yaml': yaml.replace('    - ../escape.c\n', ''), 'starter/x.c': 'int x;\n', ...step('01-first') } });
    expect((await loadLabs(fixed)).problems.map((p) => p.message)).toEqual([
      'editor file missing.c has no starter version: add it to starter/ or give starter:',
      'editor file y.h: solution.step names no step (09-nope)',
    ]);
  });

  it('points at the line of a datapath edge that names no node, and of a counter that is no sampler counter', async () => {
    const yaml = `${GOOD_YAML}datapath:
  nodes:
    - { id: a, label: A, col: 0, row: 0 }
    - { id: b, label: B, col: 1, row: 0 }
  edges:
    - { from: a, to: b, packets: if.server.lo.tx_packets }
    - { from: a, to: c }
  counters:
    - { label: hits, metric: accel_stats.1 }
`;
    const dir = labsDir({ dp: { 'lab.yaml': yaml, ...step('01-first') } });
    const { problems } = await loadLabs(dir);
    expect(problems.map((p) => [p.line, p.field, p.message])).toEqual(
      expect.arrayContaining([
        [18, 'datapath.counters.0.metric', expect.stringMatching(/a sampler counter/)],
        [16, 'datapath.edges.1.to', 'edge to names no node (c)'],
      ]),
    );
  });

  it('loads a good lab: steps in order, titles from front matter or heading, defaults applied', async () => {
    const dir = labsDir({
      good: {
        'lab.yaml': GOOD_YAML,
        ...step('02-second', '---\ntitle: Second step\nterminal: server\nhints: [one, two]\n---\nText\n'),
        ...step('01-first'),
      },
    });
    const { labs, problems } = await loadLabs(dir);
    expect(problems).toEqual([]);
    const lab = labs[0]!;
    expect(lab.steps.map((s) => [s.id, s.title, s.terminal, s.hints.length, s.checkTimeoutMs])).toEqual([
      ['01-first', 'Do it', 'sandbox', 0, 10_000],
      ['02-second', 'Second step', 'server', 2, 10_000],
    ]);
    expect(lab.steps[0]!.html).toContain('data-action="run"');
    expect(lab.steps[0]!.check).toBe('exit 0\n');
    expect(lab.meta.order).toBe(100);
  });

  it('points at the line and field of a schema problem', async () => {
    const dir = labsDir({
      bad: { 'lab.yaml': GOOD_YAML.replace('duration: 15', 'duration: "a while"'), ...step('01-a') },
    });
    const { labs, problems } = await loadLabs(dir);
    expect(labs).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ slug: 'bad', file: 'lab.yaml', line: 3, field: 'duration' })]);
    expect(formatProblem(problems[0]!)).toMatch(/^labs\/bad\/lab\.yaml:3: duration: /);
  });

  it('reports YAML syntax errors with their line, unknown fields, and missing required ones', async () => {
    const dir = labsDir({
      syntax: { 'lab.yaml': 'title: x\nsummary: [unclosed\n', ...step('01-a') },
      unknown: { 'lab.yaml': `${GOOD_YAML}colour: blue\n`, ...step('01-a') },
      missing: { 'lab.yaml': 'summary: No title here, which is required.\nduration: 5\ndifficulty: beginner\n', ...step('01-a') },
    });
    const { problems } = await loadLabs(dir);
    const by = (slug: string) => problems.filter((p) => p.slug === slug);
    expect(by('syntax')[0]).toMatchObject({ file: 'lab.yaml', line: expect.any(Number) });
    expect(by('unknown')[0]).toMatchObject({ message: 'unknown field "colour"', line: 10, field: 'colour' });
    expect(by('missing')[0]).toMatchObject({ field: 'title', line: 1 });
  });

  it('requires a check and a solution per step, well-named step files, and known terminals', async () => {
    const dir = labsDir({
      parts: {
        'lab.yaml': GOOD_YAML,
        'steps/01-no-check.md': '# One\n',
        'solutions/01-no-check.sh': 'true\n',
        'steps/2-badname.md': '# Two\n',
        ...step('03-tab', '# Three\n\n```sh tab=client\nls\n```\n'),
        'checks/09-orphan.sh': 'exit 0\n',
      },
    });
    const messages = (await loadLab(dir, 'parts')).problems.map(formatProblem);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/steps\/01-no-check\.md: checks\/01-no-check\.sh is missing/),
        expect.stringMatching(/steps\/2-badname\.md: step files are named NN-<name>\.md/),
        expect.stringMatching(/steps\/03-tab\.md:3: code block names terminal "client"/),
        expect.stringMatching(/checks\/09-orphan\.sh: no step steps\/09-orphan\.md/),
      ]),
    );
  });

  it('reports front-matter problems at their line in the step file', async () => {
    const dir = labsDir({ fm: { 'lab.yaml': GOOD_YAML, ...step('01-a', '---\ntitle: ok title\nhints: 3\n---\n# x\n') } });
    const { problems } = await loadLab(dir, 'fm');
    expect(problems[0]).toMatchObject({ file: 'steps/01-a.md', field: 'hints', line: 3 });
  });

  it('says which known field an unknown one may be, at its line, in lab.yaml and in front matter', async () => {
    const dir = labsDir({
      typo: {
        'lab.yaml': GOOD_YAML.replace('difficulty: beginner', 'dificulty: beginner'),
        ...step('01-a', '---\ntitle: ok title\n\nchecktimeout: 5\n---\n# x\n'),
      },
    });
    const { problems } = await loadLab(dir, 'typo');
    expect(problems.map((p) => [p.file, p.line, p.message])).toEqual(
      expect.arrayContaining([
        ['lab.yaml', 4, 'unknown field "dificulty" (did you mean "difficulty"?)'],
        ['steps/01-a.md', 4, 'unknown field "checktimeout" (did you mean "checkTimeout"?)'],
      ]),
    );
  });

  it('reports a step terminal and a code block terminal that lab.yaml lacks at their lines, with the valid names', async () => {
    const dir = labsDir({
      tabs: { 'lab.yaml': GOOD_YAML, ...step('01-a', '---\ntitle: ok title\n\nterminal: srever\n---\n# x\n\ntext\n\n```sh tab=clinet\nls\n```\n') },
    });
    const { problems } = await loadLab(dir, 'tabs');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [4, 'terminal "srever" is not in lab.yaml\'s terminals (sandbox, server)'],
      [10, 'code block names terminal "clinet", which lab.yaml does not define (terminals: sandbox, server)'],
    ]);
  });

  it('checks a terminal pod against the pods the lab has, and datapath counters against what the sampler prints', async () => {
    const yaml = `${GOOD_YAML.replace('pod: server', 'pod: srever')}datapath:
  nodes:
    - { id: a, label: A, col: 0, row: 0 }
    - { id: b, label: B, col: 1, row: 0 }
  edges:
    - { from: a, to: b, packets: if.server.lo.tx_pkts }
  counters:
    - { label: hits, metric: if.clinet.eth0.rx_bytes }
`;
    const { problems } = await loadLab(labsDir({ pods: { 'lab.yaml': yaml, ...step('01-a') } }), 'pods');
    expect(problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [9, 'terminals.1.pod', expect.stringMatching(/enters pod "srever", which the lab does not create \(did you mean "server"\?\)/)],
      [15, 'datapath.edges.0.packets', expect.stringMatching(/if\.server\.lo\.tx_pkts is not a counter the datapath sampler prints/)],
      [17, 'datapath.counters.0.metric', expect.stringMatching(/counts pods client, server, not "clinet"/)],
    ]);
    const declared = yaml.replace('terminals:', 'pods: [srever, clinet]\nterminals:').replace('tx_pkts', 'tx_packets');
    expect((await loadLab(labsDir({ pods: { 'lab.yaml': declared, ...step('01-a') } }), 'pods')).problems).toEqual([]);
  });

  it('refuses a prerequisite that is not a lab, at its line', async () => {
    const dir = labsDir({
      'sandbox-tour': { 'lab.yaml': GOOD_YAML, ...step('01-a') },
      later: { 'lab.yaml': `${GOOD_YAML}requires: [sandbox-tuor]\n`, ...step('01-a') },
    });
    const { labs, problems } = await loadLabs(dir);
    expect(labs.map((l) => l.slug)).toEqual(['sandbox-tour']);
    expect(problems).toEqual([expect.objectContaining({ slug: 'later', line: 10, field: 'requires', message: 'requires "sandbox-tuor", which is not a lab (did you mean "sandbox-tour"?)' })]);
  });

  it('serves an editor solution from the lab directory, and says when that file is missing', async () => {
    const yaml = `${GOOD_YAML}workspace: { from: starter, to: /root/lab }
editor:
  files:
    - { path: x.c, solution: { step: 01-a, from: solutions/files/x.c } }
`;
    const files = { 'lab.yaml': yaml, 'starter/x.c': 'int x;\n', ...step('01-a') };
    const ok = await loadLab(labsDir({ sol: { ...files, 'solutions/files/x.c': 'int x = 1;\n' } }), 'sol');
    expect(ok.lab?.labFiles).toEqual({ 'solutions/files/x.c': 'int x = 1;\n' });
    const missing = await loadLab(labsDir({ sol: files }), 'sol');
    expect(missing.problems).toEqual([expect.objectContaining({ line: 13, message: 'editor file x.c: solution.from solutions/files/x.c does not exist in the lab' })]);
  });

  it('carries solutions/files for the sandbox, and refuses a solution that copies a file not there, at its line', async () => {
    const files = { 'lab.yaml': GOOD_YAML, ...step('01-a'), 'solutions/files/x.c': 'int x = 1;\n', 'solutions/files/sub/y.h': '#define Y\n' };
    const ok = await loadLab(labsDir({ sol: { ...files, 'solutions/01-a.sh': 'set -e\ncp /opt/ebpf-labs/solution-files/x.c /root/lab/\ncp -r /opt/ebpf-labs/solution-files/sub /root/lab/\n' } }), 'sol');
    expect(ok.problems).toEqual([]);
    expect(ok.lab?.solutionFiles.map((f) => [f.path, f.content.toString()])).toEqual([['sub/y.h', '#define Y\n'], ['x.c', 'int x = 1;\n']]);
    const typo = await loadLab(labsDir({ sol: { ...files, 'solutions/01-a.sh': 'set -e\ncp /opt/ebpf-labs/solution-files/y.c /root/lab/\n' } }), 'sol');
    expect(typo.problems).toEqual([expect.objectContaining({ file: 'solutions/01-a.sh', line: 2, message: expect.stringContaining('/opt/ebpf-labs/solution-files/y.c is not a file of solutions/files/') })]);
    const none = await loadLab(labsDir({ plain: { 'lab.yaml': GOOD_YAML, ...step('01-a') } }), 'plain');
    expect(none.lab?.solutionFiles).toEqual([]);
  });

  it('keeps going past a broken lab: the others still load', async () => {
    const dir = labsDir({ good: { 'lab.yaml': GOOD_YAML, ...step('01-a') }, broken: { 'lab.yaml': 'title: [' } });
    const { labs, problems } = await loadLabs(dir);
    expect(labs.map((l) => l.slug)).toEqual(['good']);
    expect(problems.every((p) => p.slug === 'broken')).toBe(true);
  });
});

it('splits front matter from the body and says where the body starts', () => {
  expect(splitFrontMatter('---\na: 1\n---\nbody\n')).toEqual({ yaml: 'a: 1', body: 'body\n', bodyLine: 4 });
  expect(splitFrontMatter('no front matter')).toEqual({ yaml: '', body: 'no front matter', bodyLine: 1 });
});
