// Deep validation of a lab's scripts (npm run lab -- validate): every check, solution, setup and mistake script is
// parsed by bash (`bash -n`) and read by ShellCheck, with findings at the file and line where the author fixes them.
// Not part of loading a lab for the app: ShellCheck takes a moment, the app loads labs on every page in development.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Lab, LabProblem } from './schema';

const run = promisify(execFile);

/** One script of a lab, where its text lives: a file of the lab, or a field of a step's front matter. */
export interface LabScript {
  /** File of the lab the author edits (relative to the lab), and the line the script starts at in it (1-based). */
  file: string;
  firstLine: number;
  text: string;
}

/** ShellCheck codes left out, each for a reason that holds in every lab script. */
const EXCLUDED = [
  // Scripts are sent to lab-exec on stdin and run by bash: they need no #! line of their own.
  'SC2148',
  // The lab environment ($LAB_CGROUP, $LAB_PROXY, ...) comes from /etc/profile.d, which ShellCheck cannot see.
  'SC2154',
  // Sourced helpers (/opt/ebpf-labs/lib/check.sh, lab.sh) live in the image, not beside the script.
  'SC1091',
];

/** The scripts of a lab: setup, checks, solutions, and the run scripts of its mistakes (inline in front matter). */
export function labScripts(lab: Lab, stepSources: Map<string, string>): LabScript[] {
  const scripts: LabScript[] = [];
  if (lab.setupScript !== undefined && lab.meta.setup) scripts.push({ file: lab.meta.setup, firstLine: 1, text: lab.setupScript });
  for (const step of lab.steps) {
    scripts.push({ file: `checks/${step.id}.sh`, firstLine: 1, text: step.check });
    scripts.push({ file: `solutions/${step.id}.sh`, firstLine: 1, text: step.solution });
    const source = stepSources.get(step.id) ?? '';
    if (step.replay) {
      const lines = source.split('\n');
      const replayLine = lines.findIndex((l) => /^\s*replay:/.test(l));
      const runLine = lines.findIndex((l, i) => i >= replayLine && /\brun:/.test(l));
      const blockScalar = runLine >= 0 && /run:\s*[|>]/.test(lines[runLine]!);
      scripts.push({ file: `steps/${step.id}.md`, firstLine: (runLine >= 0 ? runLine : Math.max(replayLine, 0)) + 1 + (blockScalar ? 1 : 0), text: step.replay.run });
    }
    for (const m of step.mistakes) {
      if (!m.run) continue;
      // The run script's line in the step file: the line of "run:" for a block scalar, or of the mistake.
      const lines = source.split('\n');
      const nameLine = lines.findIndex((l) => new RegExp(`name:\\s*${m.name}\\b`).test(l));
      const runLine = lines.findIndex((l, i) => i >= nameLine && /\brun:/.test(l));
      const blockScalar = runLine >= 0 && /run:\s*[|>]/.test(lines[runLine]!);
      scripts.push({ file: `steps/${step.id}.md`, firstLine: (runLine >= 0 ? runLine : Math.max(nameLine, 0)) + 1 + (blockScalar ? 1 : 0), text: m.run });
    }
  }
  return scripts;
}

interface Finding {
  line: number;
  message: string;
}

async function bashSyntax(file: string): Promise<Finding[]> {
  try {
    await run('bash', ['-n', file], { timeout: 10_000 });
    return [];
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    return stderr
      .split('\n')
      .map((l) => /line (\d+): (.*)$/.exec(l))
      // bash follows each syntax error with the offending line in backquotes: the error says it all
      .filter((m): m is RegExpExecArray => !!m && !m[2]!.startsWith('`'))
      .map((m) => ({ line: Number(m[1]), message: `bash: ${m[2]}` }));
  }
}

async function shellcheck(file: string): Promise<Finding[]> {
  try {
    await run('shellcheck', ['--shell=bash', '--format=gcc', '--severity=warning', `--exclude=${EXCLUDED.join(',')}`, file], { timeout: 30_000 });
    return [];
  } catch (err) {
    const e = err as { code?: string | number; stdout?: string };
    if (e.code === 'ENOENT') throw new Error('shellcheck is not installed: npm run setup installs it (apt-get install shellcheck)');
    return String(e.stdout ?? '')
      .split('\n')
      .map((l) => /^[^:]+:(\d+):\d+: (\w+): (.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => ({ line: Number(m[1]), message: `shellcheck ${m[2]}: ${m[3]}` }));
  }
}

/** bash -n and ShellCheck findings for every script, as lab problems at the author's file and line. */
export async function lintLabScripts(lab: Lab, scripts: LabScript[]): Promise<LabProblem[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lab-lint-'));
  try {
    const problems: LabProblem[] = [];
    for (const [i, script] of scripts.entries()) {
      const tmp = path.join(dir, `${i}.sh`);
      writeFileSync(tmp, script.text);
      const syntax = await bashSyntax(tmp);
      // A script bash cannot parse gets that finding only: ShellCheck's would repeat it less clearly.
      const findings = syntax.length ? syntax : await shellcheck(tmp);
      for (const f of findings) problems.push({ slug: lab.slug, file: script.file, line: script.firstLine + f.line - 1, message: f.message });
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
