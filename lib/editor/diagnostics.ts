// Compiler output -> editor markers. clang prints "file:line:col: severity: message"; the file is as make passed it
// (relative to the workspace, "./accel.h" for an include, or absolute). Shared by the server and the browser.

export interface Diagnostic {
  /** Relative to the workspace when the file is in it; absolute otherwise (a system header). */
  path: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
  /** The file is in the workspace: the editor can mark it. */
  inWorkspace: boolean;
}

const CLANG = /^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;

/** Normalises a path from compiler output to one relative to the workspace, when it is inside it. */
export function workspaceRelative(file: string, workspace: string): { path: string; inWorkspace: boolean } {
  let p = file.replace(/^(\.\/)+/, '');
  if (p.startsWith(`${workspace}/`)) p = p.slice(workspace.length + 1);
  return { path: p, inWorkspace: !p.startsWith('/') && !p.split('/').includes('..') };
}

export function parseClangDiagnostics(output: string, workspace: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = CLANG.exec(line.trimEnd());
    if (!m) continue;
    const severity = m[4] === 'fatal error' ? 'error' : (m[4] as Diagnostic['severity']);
    out.push({ ...workspaceRelative(m[1]!, workspace), line: Number(m[2]), column: Number(m[3]), severity, message: m[5]! });
  }
  return out;
}

export interface VerifierReport {
  /** The verifier's log, as the kernel wrote it (between libbpf's BEGIN/END markers), when the output has one. */
  log?: string;
  /** The line that says why the program was refused. */
  reason?: string;
  /** Where, when the log names the source line (BTF line info: "; code @ file.c:42"). */
  at?: { path: string; line: number; inWorkspace: boolean };
}

const SOURCE_LINE = /^; .* @ (.+):(\d+)$/;
const NOT_A_REASON = /^(processed \d+ insns|verification time|stack depth|;|\d+: |from \d+ to \d+:|R\d+[_\w]*=|\s*$)/;

/** Finds the verifier log in a failed load's output (bpftool prints libbpf's messages) and what it refused. */
export function parseVerifierLog(output: string, workspace: string): VerifierReport {
  const begin = output.indexOf('-- BEGIN PROG LOAD LOG --');
  if (begin < 0) return {};
  const startOfLog = output.indexOf('\n', begin) + 1;
  const end = output.indexOf('-- END PROG LOAD LOG --', startOfLog);
  // libbpf prefixes the END marker with "libbpf: prog 'x': ": cut the log at that line's start.
  const log = output.slice(startOfLog, end < 0 ? undefined : output.lastIndexOf('\n', end) + 1).replace(/\n+$/, '');
  const lines = log.split('\n');
  let reason: string | undefined;
  let reasonIndex = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!NOT_A_REASON.test(lines[i]!)) {
      reason = lines[i]!.trim();
      reasonIndex = i;
      break;
    }
  }
  let at: VerifierReport['at'];
  for (let i = reasonIndex; i >= 0; i--) {
    const m = SOURCE_LINE.exec(lines[i]!);
    if (m) {
      at = { ...workspaceRelative(m[1]!, workspace), line: Number(m[2]) };
      break;
    }
  }
  return { log, reason, at };
}
