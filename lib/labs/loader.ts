// Loads labs/<slug>/ directories. A broken lab becomes a list of problems (file, line, field); the others load.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { didYouMean, knownFields } from './field-names';
import { renderStepMarkdown } from './markdown';
import { LAB_PODS } from './pods';
import { metricProblem } from './metrics';
import { SOLUTION_FILES_DIR, SOLUTION_FILES_FROM, solutionFileRefs } from './solution-files';
import {
  DEFAULT_CHECK_BUDGET_S,
  LabMetaSchema,
  StepFrontMatterSchema,
  type Lab,
  type Mistake,
  type LabMeta,
  type LabProblem,
  type Step,
  type StepFrontMatter,
} from './schema';

export const STEP_FILE = /^(\d{2})-([a-z0-9-]+)\.md$/;
const SLUG = /^[a-z0-9][a-z0-9-]{1,47}$/;

export interface LabLoadResult {
  labs: Lab[];
  problems: LabProblem[];
}

class Problems {
  readonly list: LabProblem[] = [];
  constructor(private readonly slug: string) {}
  add(file: string, message: string, line?: number, field?: string) {
    this.list.push({ slug: this.slug, file, line, field, message });
  }
}

/** A parsed YAML document and how to find the line of a path in it. */
interface YamlSource {
  doc: Document;
  /** The file line of the node at `path` (the deepest part of it that exists), or of a key in the map at `path`. */
  lineOf(path: (string | number)[], key?: string): number | undefined;
}

function yamlSource(text: string, lineOffset: number): { source: YamlSource; errors: { message: string; line: number }[] } {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false });
  const line = (pos: number) => lineCounter.linePos(pos).line + lineOffset;
  const lineOf = (path: (string | number)[], key?: string): number | undefined => {
    if (key !== undefined) {
      const map = doc.getIn(path, true) as { items?: { key?: { value?: unknown; range?: [number] } }[] } | undefined;
      const pair = map?.items?.find((p) => p.key?.value === key);
      if (pair?.key?.range) return line(pair.key.range[0]);
    }
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as { range?: [number] } | null | undefined;
      if (node?.range) return line(node.range[0]);
    }
    return undefined;
  };
  return { source: { doc, lineOf }, errors: doc.errors.map((e) => ({ message: e.message.split('\n')[0]!, line: line(e.pos[0]) })) };
}

/** Parses YAML text and validates it; problems carry the line of the offending field, and unknown fields a guess. */
function parseYaml<S extends z.ZodType>(
  text: string,
  schema: S,
  file: string,
  problems: Problems,
  lineOffset = 0,
): { value: z.infer<S>; source: YamlSource } | undefined {
  const { source, errors } = yamlSource(text, lineOffset);
  if (errors.length) {
    for (const e of errors) problems.add(file, e.message, e.line);
    return undefined;
  }
  const result = schema.safeParse(source.doc.toJS() ?? {});
  if (result.success) return { value: result.data, source };
  for (const issue of result.error.issues) {
    const path = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = didYouMean(key, knownFields(schema, path));
        const field = [...path, key].join('.');
        problems.add(file, `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, source.lineOf(path, key) ?? 1 + lineOffset, field);
      }
      continue;
    }
    problems.add(file, issue.message, source.lineOf(path) ?? 1 + lineOffset, path.join('.') || undefined);
  }
  return undefined;
}

/** The line of a code block's fence in a step's markdown body (the first not yet reported, for repeated fences). */
function fenceLine(body: string, fence: string | undefined, bodyLine: number, seen: Set<number>): number | undefined {
  if (!fence) return undefined;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!seen.has(i) && /^\s*(```|~~~)/.test(lines[i]!) && lines[i]!.replace(/^\s*(```|~~~)/, '').trim() === fence.trim()) {
      seen.add(i);
      return bodyLine + i;
    }
  }
  return undefined;
}

/** Splits "---\nyaml\n---\nbody" into its parts; the front matter is optional. */
export function splitFrontMatter(source: string): { yaml: string; body: string; bodyLine: number } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!m) return { yaml: '', body: source, bodyLine: 1 };
  return { yaml: m[1]!, body: source.slice(m[0].length), bodyLine: m[0].split('\n').length };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Files under dir (relative paths), or undefined when dir does not exist. */
async function listFilesRecursive(dir: string): Promise<string[] | undefined> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => undefined);
  if (!entries) return undefined;
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

export async function loadLab(labsDir: string, slug: string): Promise<{ lab?: Lab; problems: LabProblem[]; requiresLine?: number }> {
  const dir = path.join(labsDir, slug);
  const problems = new Problems(slug);
  if (!SLUG.test(slug)) {
    problems.add(slug, 'the directory name is the lab slug: use lower-case letters, digits and dashes');
    return { problems: problems.list };
  }
  const labYaml = await readOptional(path.join(dir, 'lab.yaml'));
  if (labYaml === undefined) {
    problems.add('lab.yaml', 'missing: every lab directory needs a lab.yaml');
    return { problems: problems.list };
  }
  const parsedMeta = parseYaml(labYaml, LabMetaSchema, 'lab.yaml', problems);
  const meta: LabMeta | undefined = parsedMeta?.value;
  const metaLine = (path: (string | number)[]) => parsedMeta?.source.lineOf(path);
  if (meta) {
    const pods = new Set([...LAB_PODS, ...meta.pods]);
    meta.terminals.forEach((t, i) => {
      if (t.pod && !pods.has(t.pod)) {
        const guess = didYouMean(t.pod, [...pods]);
        problems.add(
          'lab.yaml',
          `terminal "${t.name}" enters pod "${t.pod}", which the lab does not create${guess ? ` (did you mean "${guess}"?)` : ''}: lab-pods makes ${LAB_PODS.join(' and ')}; declare others in pods:`,
          metaLine(['terminals', i, 'pod']),
          `terminals.${i}.pod`,
        );
      }
    });
    const datapath = meta.datapath;
    const metrics: [string, (string | number)[]][] = [
      ...(datapath?.edges ?? []).flatMap((e, i) => [
        ...(e.packets ? [[e.packets, ['datapath', 'edges', i, 'packets']] as [string, (string | number)[]]] : []),
        ...(e.bytes ? [[e.bytes, ['datapath', 'edges', i, 'bytes']] as [string, (string | number)[]]] : []),
      ]),
      ...(datapath?.counters ?? []).map((c, i) => [c.metric, ['datapath', 'counters', i, 'metric']] as [string, (string | number)[]]),
      ...(datapath?.state ? [[datapath.state.metric, ['datapath', 'state', 'metric']] as [string, (string | number)[]]] : []),
    ];
    for (const [metric, path] of metrics) {
      const problem = metricProblem(metric, pods);
      if (problem) problems.add('lab.yaml', problem, metaLine(path), path.join('.'));
    }
  }

  let setupScript: string | undefined;
  if (meta?.setup) {
    setupScript = await readOptional(path.join(dir, meta.setup));
    if (setupScript === undefined) problems.add('lab.yaml', `setup script ${meta.setup} does not exist`, undefined, 'setup');
  }

  const workspaceFiles: Lab['workspaceFiles'] = [];
  if (meta?.workspace) {
    const root = path.join(dir, meta.workspace.from);
    if (!root.startsWith(dir + path.sep)) problems.add('lab.yaml', 'workspace.from must be inside the lab directory', undefined, 'workspace.from');
    else {
      const files = await listFilesRecursive(root);
      if (files === undefined) problems.add('lab.yaml', `workspace directory ${meta.workspace.from}/ does not exist`, undefined, 'workspace.from');
      for (const rel of files ?? []) {
        const full = path.join(root, rel);
        const st = await stat(full);
        workspaceFiles.push({ path: rel, content: await readFile(full), mode: st.mode & 0o111 ? 0o755 : 0o644 });
      }
    }
  }

  const stepFiles = (await listDir(path.join(dir, 'steps'))).filter((f) => f.endsWith('.md'));
  const checks = new Set(await listDir(path.join(dir, 'checks')));
  const solutions = new Set(await listDir(path.join(dir, 'solutions')));
  if (stepFiles.length === 0) problems.add('steps/', 'no steps: add steps/01-<name>.md');

  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const file of stepFiles) {
    const rel = `steps/${file}`;
    const m = STEP_FILE.exec(file);
    if (!m) {
      problems.add(rel, 'step files are named NN-<name>.md (two digits, then lower-case words with dashes)');
      continue;
    }
    if (seen.has(m[1]!)) problems.add(rel, `another step already has number ${m[1]}`);
    seen.add(m[1]!);
    const id = file.replace(/\.md$/, '');
    const source = await readFile(path.join(dir, 'steps', file), 'utf8');
    const { yaml, body, bodyLine } = splitFrontMatter(source);
    const parsedFront = parseYaml(yaml, StepFrontMatterSchema, rel, problems, 1);
    const front: StepFrontMatter | undefined = parsedFront?.value;
    for (const [kind, set] of [['checks', checks], ['solutions', solutions]] as const) {
      if (!set.has(`${id}.sh`)) problems.add(rel, `${kind}/${id}.sh is missing: every step needs a check and a solution`);
    }
    if (!front || !meta) continue;
    const title = front.title ?? /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
    if (!title) problems.add(rel, 'no title: add "title:" to the front matter or start with a "# " heading', bodyLine);
    const tabs = meta.terminals.map((t) => t.name);
    const terminal = front.terminal ?? tabs[0]!;
    if (!tabs.includes(terminal)) {
      problems.add(rel, `terminal "${terminal}" is not in lab.yaml's terminals (${tabs.join(', ')})`, parsedFront?.source.lineOf(['terminal']), 'terminal');
    }
    const seenFences = new Set<number>();
    const html = renderStepMarkdown(body, {
      assetBase: `/api/labs/${slug}/assets`,
      defaultTab: terminal,
      tabs,
      onProblem: (msg, fence) => problems.add(rel, msg, fenceLine(body, fence, bodyLine, seenFences)),
    });
    const mistakes: Mistake[] = [];
    for (const [i, m] of front.mistakes.entries()) {
      const at = (...path: (string | number)[]) => parsedFront?.source.lineOf(['mistakes', i, ...path]);
      if (!m.patch && !m.run) problems.add(rel, `mistake ${m.name}: give a patch, a run script, or both`, at(), `mistakes.${i}`);
      if (m.patch && !meta.workspace) problems.add(rel, `mistake ${m.name}: a patch needs the lab's workspace (lab.yaml workspace)`, at('patch'), `mistakes.${i}.patch`);
      let patch: Mistake['patch'];
      if (m.patch) {
        const content = await readOptional(path.join(dir, m.patch));
        if (content === undefined) problems.add(rel, `mistake ${m.name}: ${m.patch} does not exist`, at('patch'), `mistakes.${i}.patch`);
        else patch = { file: m.patch, content };
      }
      if (mistakes.some((x) => x.name === m.name)) problems.add(rel, `two mistakes are called ${m.name}`, at('name'), `mistakes.${i}.name`);
      mistakes.push({ ...m, patch });
    }
    steps.push({
      index: steps.length,
      id,
      title: title ?? id,
      hints: front.hints.map((h) => (typeof h === 'string' ? { text: h, when: [] } : h)),
      sideEffects: front.checkSideEffects,
      checkBudget: front.checkBudget ?? { seconds: DEFAULT_CHECK_BUDGET_S },
      replay: front.replay,
      mistakes,
      terminal,
      checkTimeoutMs: front.checkTimeout * 1000,
      solutionTimeoutMs: front.solutionTimeout * 1000,
      markdown: body,
      html,
      check: (await readOptional(path.join(dir, 'checks', `${id}.sh`))) ?? '',
      solution: (await readOptional(path.join(dir, 'solutions', `${id}.sh`))) ?? '',
    });
  }
  for (const [kind, set] of [['checks', checks], ['solutions', solutions]] as const) {
    for (const f of set) {
      if (f.endsWith('.sh') && !stepFiles.includes(f.replace(/\.sh$/, '.md'))) {
        problems.add(`${kind}/${f}`, `no step steps/${f.replace(/\.sh$/, '.md')} goes with this script`);
      }
    }
  }
  const solutionFiles: Lab['solutionFiles'] = [];
  const solutionFilesRoot = path.join(dir, SOLUTION_FILES_FROM);
  for (const rel of (await listFilesRecursive(solutionFilesRoot)) ?? []) {
    const full = path.join(solutionFilesRoot, rel);
    solutionFiles.push({ path: rel, content: await readFile(full), mode: (await stat(full)).mode & 0o111 ? 0o755 : 0o644 });
  }
  for (const step of steps) {
    for (const ref of solutionFileRefs(step.solution)) {
      const known = ref.file === '.' || solutionFiles.some((f) => f.path === ref.file || f.path.startsWith(`${ref.file}/`));
      if (!known) problems.add(`solutions/${step.id}.sh`, `${SOLUTION_FILES_DIR}/${ref.file} is not a file of ${SOLUTION_FILES_FROM}/ (the files there are copied to ${SOLUTION_FILES_DIR} before a solution runs)`, ref.line);
    }
  }
  const after = meta?.benchmark?.after;
  if (after && !steps.some((s) => s.id === after)) problems.add('lab.yaml', `benchmark.after names no step (${after})`, undefined, 'benchmark.after');
  const editor = meta?.editor;
  if (editor && !meta.workspace) problems.add('lab.yaml', 'editor needs a workspace (the directory its files are in)', undefined, 'editor');
  const labFiles: Record<string, string> = {};
  for (const [i, f] of (editor?.files ?? []).entries()) {
    const from = f.solution?.from;
    if (!from || from.startsWith('/')) continue;
    const content = await readOptional(path.join(dir, from));
    if (content === undefined) problems.add('lab.yaml', `editor file ${f.path}: solution.from ${from} does not exist in the lab`, metaLine(['editor', 'files', i, 'solution', 'from']), `editor.files.${i}.solution.from`);
    else labFiles[from] = content;
  }
  editor?.files.forEach((f, i) => {
    if (meta?.workspace && !f.starter && !workspaceFiles.some((w) => w.path === f.path)) {
      problems.add('lab.yaml', `editor file ${f.path} has no starter version: add it to ${meta.workspace.from}/ or give starter:`, undefined, `editor.files.${i}`);
    }
    if (f.solution && !steps.some((s) => s.id === f.solution!.step)) {
      problems.add('lab.yaml', `editor file ${f.path}: solution.step names no step (${f.solution.step})`, undefined, `editor.files.${i}.solution.step`);
    }
  });
  if (!meta || problems.list.length) return { problems: problems.list };
  return { lab: { slug, dir, meta, steps, setupScript, workspaceFiles, solutionFiles, labFiles }, problems: [], requiresLine: metaLine(['requires']) };
}

/** Loads every lab under labsDir, sorted by `order` then title. */
export async function loadLabs(labsDir: string): Promise<LabLoadResult> {
  const entries = await readdir(labsDir, { withFileTypes: true }).catch(() => []);
  const results = await Promise.all(
    entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => loadLab(labsDir, e.name)),
  );
  const slugs = new Set(entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name));
  const problems = results.flatMap((r) => r.problems);
  // A lab may name as prerequisites only labs that exist (their own problems aside).
  for (const r of results) {
    if (!r.lab) continue;
    const unknown = r.lab.meta.requires.filter((slug) => !slugs.has(slug));
    for (const slug of unknown) {
      const guess = didYouMean(slug, [...slugs]);
      problems.push({ slug: r.lab.slug, file: 'lab.yaml', line: r.requiresLine, field: 'requires', message: `requires "${slug}", which is not a lab${guess ? ` (did you mean "${guess}"?)` : ''}` });
    }
    if (unknown.length) r.lab = undefined;
  }
  const labs = results.flatMap((r) => (r.lab ? [r.lab] : []));
  labs.sort((a, b) => a.meta.order - b.meta.order || a.meta.title.localeCompare(b.meta.title));
  return { labs, problems };
}

export function formatProblem(p: LabProblem): string {
  const where = `labs/${p.slug}/${p.file}${p.line ? `:${p.line}` : ''}`;
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}
