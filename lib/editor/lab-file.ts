// The contract with lab-file, the editor's file access inside the sandbox (sandbox/rootfs/opt/ebpf-labs/bin/lab-file):
// where it is and what its exit codes mean. The script names the same codes E_<NAME>; a unit test keeps them equal.

export const LAB_FILE = '/opt/ebpf-labs/bin/lab-file';

export const LAB_FILE_EXIT = {
  OK: 0,
  USAGE: 2,
  /** The path leads outside the workspace (after resolving symlinks). */
  OUTSIDE: 3,
  MISSING: 4,
  TOO_LARGE: 5,
  /** Not text: a NUL byte, or not valid UTF-8. */
  BINARY: 6,
  NOT_A_FILE: 7,
  /** The file changed since the version the editor started from: nothing was written. */
  CONFLICT: 8,
} as const;
