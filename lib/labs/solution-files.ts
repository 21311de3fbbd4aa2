// A lab's solutions/files/: files its reference solutions install (a reference source the sandbox image does not
// carry). They are copied into the sandbox just before a solution runs, never at setup, so that a learner meets them
// only with the solution: the scripts copy them from SOLUTION_FILES_DIR instead of carrying them as heredocs.

/** Where a lab's solutions/files/ are in the sandbox, under the same relative paths. */
export const SOLUTION_FILES_DIR = '/opt/ebpf-labs/solution-files';

/** The lab directory whose files go to SOLUTION_FILES_DIR. */
export const SOLUTION_FILES_FROM = 'solutions/files';

export interface SolutionFileRef {
  /** Relative to SOLUTION_FILES_DIR. */
  file: string;
  /** 1-based line of the script. */
  line: number;
}

const REF = new RegExp(`${SOLUTION_FILES_DIR.replace(/[.]/g, '\\.')}/([\\w.+@/-]+)`, 'g');

/** The solution files a script names (by their path under SOLUTION_FILES_DIR), so that validate can find them. */
export function solutionFileRefs(script: string): SolutionFileRef[] {
  return script.split('\n').flatMap((text, i) => [...text.matchAll(REF)].map((m) => ({ file: m[1]!.replace(/\/+$/, ''), line: i + 1 })));
}
