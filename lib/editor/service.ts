// The editor's operations on a learner's sandbox: list, read, save (refusing to overwrite a newer file), reset to
// the starter, the reference solution, build and load. Files go through lab-file in the sandbox, which confines
// them to the workspace after resolving symlinks.
import { z } from 'zod';
import { AppError } from '../errors';
import type { Editor, EditorFile, Lab } from '../labs/schema';
import { runLabScript } from '../sandbox/lab-exec';
import { formatBytes } from '../sandbox/output-limits';
import type { ExecResult, SandboxDriver } from '../sandbox/types';
import { parseClangDiagnostics, parseVerifierLog } from './diagnostics';
import type { BuildResult, CommandResult, FileContent, FileStatus, FileVersion, LoadResult } from './types';
import { LAB_FILE, LAB_FILE_EXIT } from './lab-file';
import { checkWorkspacePath, FILE_SIZE_LIMIT } from '../labs/workspace-paths';

/** lab-file reads or writes at most 256 KiB with one stat, realpath and sha256sum: seconds mean the sandbox is stuck. */
const FILE_TIMEOUT_MS = 10_000;
/** lab-file's JSON header line ({size, mtime, sha256}: about 120 bytes), with room to spare. */
const HEADER_LIMIT = 4096;
/** A file read: the header and at most FILE_SIZE_LIMIT of content (lab-file refuses larger files; one that grows
 * while it is read is cut here). */
const READ_OUTPUT_LIMIT = FILE_SIZE_LIMIT + HEADER_LIMIT;
/** `stat` prints a JSON line per editor file (a handful), `write` one header. */
const STAT_OUTPUT_LIMIT = 64 * 1024;
/** Build and load: clang's diagnostics and libbpf's verifier log (which can run to a few hundred KiB), with room. */
const COMMAND_OUTPUT_LIMIT = 4 * 1024 * 1024;

/** lab-file's output is a program's output in the learner's sandbox: checked, never trusted. */
const FileVersionSchema = z.object({ size: z.number(), mtime: z.number(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const FileStatusSchema = z.object({
  path: z.string(),
  exists: z.boolean().optional(),
  size: z.number().optional(),
  mtime: z.number().optional(),
  sha256: z.string().optional(),
});

/** lab-file printed something that is not what it prints: a tool replaced, or a sandbox in trouble. */
function garbled(what: string): AppError {
  return new AppError('lab_file_garbled', `lab-file in your sandbox answered ${what} with something unexpected.`, {
    status: 502,
    hint: 'Reset the lab if you changed /opt/ebpf-labs/bin/lab-file; otherwise try again.',
  });
}

/** One JSON line of lab-file's output, checked against its schema. */
function parseLine<T>(schema: z.ZodType<T>, line: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw garbled(what);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw garbled(what);
  return parsed.data;
}

/** An exec of lab-file (or cat) that printed past its limit: a 413 that says what to do. */
function tooMuch(r: ExecResult, path: string): AppError | undefined {
  if (!r.overflow) return undefined;
  return new AppError('file_too_large', `${path} is larger than ${formatBytes(FILE_SIZE_LIMIT)} (reading it was stopped).`, {
    status: 413,
    hint: 'Edit it in the terminal instead.',
  });
}

/** lab-file's exit codes -> what the learner reads. */
function fileError(exitCode: number, stderr: string, path: string): AppError {
  const said = stderr.trim().split('\n').at(-1)?.slice(0, 300) || `lab-file exited ${exitCode}`;
  switch (exitCode) {
    case LAB_FILE_EXIT.OUTSIDE:
      return new AppError('path_outside', `${said}.`, { status: 400, hint: 'Only files inside the lab\'s workspace can be opened or saved.' });
    case LAB_FILE_EXIT.MISSING:
      return new AppError('file_not_found', `${path} does not exist in your sandbox.`, { status: 404, hint: 'Use Reset file to get the starter version back.' });
    case LAB_FILE_EXIT.TOO_LARGE:
      return new AppError('file_too_large', `${path} is larger than ${FILE_SIZE_LIMIT / 1024} KiB.`, { status: 413, hint: 'Edit it in the terminal instead.' });
    case LAB_FILE_EXIT.BINARY:
      return new AppError('binary_file', `${path} is not a text file (or not UTF-8).`, { status: 415, hint: 'The editor opens text files only.' });
    case LAB_FILE_EXIT.NOT_A_FILE:
      return new AppError('not_a_file', `${path} is not a regular file.`, { status: 400 });
    case LAB_FILE_EXIT.CONFLICT:
      return new AppError('file_conflict', `${path} changed in your sandbox since you opened it.`, {
        status: 409,
        hint: 'Reload it to see the new version, or save again to overwrite it.',
      });
    default:
      return new AppError('file_error', `Could not access ${path}: ${said}`, { status: 500 });
  }
}

export function editorOf(lab: Lab): { editor: Editor; workspace: string } {
  const editor = lab.meta.editor;
  const workspace = lab.meta.workspace?.to;
  if (!editor || !workspace) throw new AppError('no_editor', `The lab "${lab.meta.title}" has no editor.`, { status: 404, hint: 'Use vim or nano in the terminal.' });
  return { editor, workspace };
}

function editorFile(lab: Lab, path: string): EditorFile {
  const f = editorOf(lab).editor.files.find((x) => x.path === path);
  if (!f) throw new AppError('not_editable', `${path} is not one of this lab's editor files.`, { status: 404, hint: 'Pick a file from the list.' });
  return f;
}

export class EditorService {
  constructor(private readonly driver: SandboxDriver) {}

  async list(sandboxId: string, lab: Lab): Promise<FileStatus[]> {
    const { editor, workspace } = editorOf(lab);
    const r = await this.driver.exec(sandboxId, [LAB_FILE, 'stat', workspace, ...editor.files.map((f) => f.path)], {
      timeoutMs: FILE_TIMEOUT_MS,
      outputLimit: STAT_OUTPUT_LIMIT,
    });
    if (r.overflow) throw garbled('the list of files');
    if (r.exitCode !== LAB_FILE_EXIT.OK) throw fileError(r.exitCode, r.stderr, workspace);
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => parseLine(FileStatusSchema, l, 'the list of files'))
      .map(({ path, exists, size, mtime, sha256 }): FileStatus => ({ path, exists: !!exists, size, mtime, sha256 }));
  }

  async read(sandboxId: string, lab: Lab, rawPath: unknown): Promise<FileContent> {
    const path = checkWorkspacePath(rawPath);
    const { workspace } = editorOf(lab);
    const r = await this.driver.exec(sandboxId, [LAB_FILE, 'read', workspace, path, String(FILE_SIZE_LIMIT)], {
      timeoutMs: FILE_TIMEOUT_MS,
      outputLimit: READ_OUTPUT_LIMIT,
    });
    const overflow = tooMuch(r, path);
    if (overflow) throw overflow;
    if (r.exitCode !== LAB_FILE_EXIT.OK) throw fileError(r.exitCode, r.stderr, path);
    const nl = r.stdout.indexOf('\n');
    if (nl < 0) throw garbled(`reading ${path}`);
    const version: FileVersion = parseLine(FileVersionSchema, r.stdout.slice(0, nl), `reading ${path}`);
    return { path, ...version, content: r.stdout.slice(nl + 1) };
  }

  /** Saves content; `base` is the sha256 the editor last read ("new" for a new file, "any" to overwrite). */
  async write(sandboxId: string, lab: Lab, rawPath: unknown, content: string, base: string): Promise<FileVersion & { path: string }> {
    const path = checkWorkspacePath(rawPath);
    if (!/^([0-9a-f]{64}|new|any)$/.test(base)) throw new AppError('bad_request', 'base must be the sha256 of the version you edited, "new" or "any".', { status: 400 });
    if (Buffer.byteLength(content) > FILE_SIZE_LIMIT) throw fileError(LAB_FILE_EXIT.TOO_LARGE, '', path);
    const { workspace } = editorOf(lab);
    const r = await this.driver.exec(sandboxId, [LAB_FILE, 'write', workspace, path, String(FILE_SIZE_LIMIT), base], {
      stdin: content,
      timeoutMs: FILE_TIMEOUT_MS,
      outputLimit: STAT_OUTPUT_LIMIT,
    });
    if (r.overflow) throw garbled(`saving ${path}`);
    if (r.exitCode !== LAB_FILE_EXIT.OK) throw fileError(r.exitCode, r.stderr, path);
    const version: FileVersion = parseLine(FileVersionSchema, r.stdout.trim(), `saving ${path}`);
    return { path, ...version };
  }

  /** The lab's starter version of an editor file. */
  async starter(sandboxId: string, lab: Lab, rawPath: unknown): Promise<string> {
    const path = checkWorkspacePath(rawPath);
    const f = editorFile(lab, path);
    if (f.starter) return this.readTrusted(sandboxId, f.starter);
    const w = lab.workspaceFiles.find((x) => x.path === path);
    if (!w) throw new AppError('no_starter', `${path} has no starter version.`, { status: 404 });
    return w.content.toString('utf8');
  }

  async reset(sandboxId: string, lab: Lab, rawPath: unknown): Promise<FileContent> {
    const content = await this.starter(sandboxId, lab, rawPath);
    const v = await this.write(sandboxId, lab, rawPath, content, 'any');
    return { ...v, content };
  }

  /** The reference version of an editor file, once `revealed(step)` says the learner has seen that solution. */
  async solution(sandboxId: string, lab: Lab, rawPath: unknown, revealed: (step: string) => boolean): Promise<{ path: string; step: string; content: string }> {
    const path = checkWorkspacePath(rawPath);
    const s = editorFile(lab, path).solution;
    if (!s) throw new AppError('no_solution', `${path} has no reference version to compare with.`, { status: 404 });
    if (!revealed(s.step)) {
      const step = lab.steps.find((x) => x.id === s.step);
      throw new AppError('solution_hidden', `Reveal the solution of step ${(step?.index ?? 0) + 1} ("${step?.title ?? s.step}") first.`, { status: 403, hint: 'Its Solution button is under the step text.' });
    }
    // A file of the lab is served from the lab; an image path is read in the sandbox.
    const content = s.from.startsWith('/') ? await this.readTrusted(sandboxId, s.from) : lab.labFiles[s.from];
    if (content === undefined) throw new AppError('no_solution', `${path}'s reference version is missing from the lab.`, { status: 500, hint: 'npm run lab -- validate names the problem.' });
    return { path, step: s.step, content };
  }

  async build(sandboxId: string, lab: Lab): Promise<BuildResult> {
    const { editor, workspace } = editorOf(lab);
    if (!editor.build) throw new AppError('no_build', 'This lab defines no build.', { status: 404 });
    const r = await this.run(sandboxId, workspace, editor.build, editor.timeout);
    return { ...r, diagnostics: parseClangDiagnostics(r.output, workspace) };
  }

  async load(sandboxId: string, lab: Lab): Promise<LoadResult> {
    const { editor, workspace } = editorOf(lab);
    if (!editor.load) throw new AppError('no_load', 'This lab defines no load.', { status: 404 });
    const r = await this.run(sandboxId, workspace, editor.load, editor.timeout);
    return { ...r, verifier: parseVerifierLog(r.output, workspace) };
  }

  /** A lab command in the workspace, with the lab environment (lab-exec), stdout and stderr in one stream. */
  private async run(sandboxId: string, workspace: string, command: string, timeoutS: number): Promise<CommandResult> {
    const script = `cd ${workspace} || exit 1\n{\n${command}\n} 2>&1\n`;
    const r = await runLabScript(this.driver, sandboxId, script, { timeoutMs: timeoutS * 1000, outputLimit: COMMAND_OUTPUT_LIMIT });
    const stopped = r.overflow
      ? `\n[stopped: it printed more than ${formatBytes(r.outputLimit ?? COMMAND_OUTPUT_LIMIT)}]`
      : r.timedOut
        ? `\n[stopped after ${timeoutS} s]`
        : '';
    const output = r.stdout + (r.stderr ? `\n${r.stderr}` : '') + stopped;
    return { ok: r.exitCode === 0 && !r.overflow, exitCode: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs, output: output.trimEnd() };
  }

  /** A file the lab names (starter, reference): not learner input, so no workspace confinement. */
  private async readTrusted(sandboxId: string, file: string): Promise<string> {
    const r = await this.driver.exec(sandboxId, ['cat', '--', file], { timeoutMs: FILE_TIMEOUT_MS, outputLimit: FILE_SIZE_LIMIT });
    const overflow = tooMuch(r, file);
    if (overflow) throw overflow;
    if (r.exitCode !== 0) throw new AppError('file_error', `The lab's file ${file} is missing from your sandbox.`, { status: 500, hint: 'Reset the lab to get a fresh sandbox.' });
    return r.stdout;
  }
}
