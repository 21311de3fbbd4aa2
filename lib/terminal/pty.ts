// The shell behind a terminal tab: node-pty running `docker exec -it` into the sandbox, with an allow-listed
// environment (never the server's own).
import { spawn } from 'node-pty';
import type { PtyLike } from './session';

export interface ShellSpec {
  /** The docker CLI to run (config.terminal.dockerCli). */
  dockerCli: string;
  /** The only environment the docker CLI gets (config.terminal.env): TERM, LANG, HOME, PATH, DOCKER_HOST. */
  env: Record<string, string>;
  sandboxId: string;
  tab: string;
  /** Network namespace to enter, when the lab defines one for this tab. */
  pod?: string;
  cols: number;
  rows: number;
}

/** argv for `docker exec`: the in-sandbox lab-shell enters the pod (netns + cgroup) when it exists. */
export function shellArgs(spec: Pick<ShellSpec, 'sandboxId' | 'tab' | 'pod'>): string[] {
  return [
    'exec',
    '-it',
    '-e', 'TERM=xterm-256color',
    '-e', 'LANG=C.UTF-8',
    '-e', `LAB_TAB=${spec.tab}`,
    '-w', '/root',
    spec.sandboxId,
    '/opt/ebpf-labs/bin/lab-shell',
    ...(spec.pod ? [spec.pod] : []),
  ];
}

export function spawnShell(spec: ShellSpec): PtyLike {
  return spawn(spec.dockerCli, shellArgs(spec), {
    name: 'xterm-256color',
    cols: spec.cols,
    rows: spec.rows,
    cwd: '/',
    env: spec.env,
  });
}
