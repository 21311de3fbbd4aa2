// The shell behind a terminal tab, reached with the docker CLI and an allow-listed environment (never the
// server's own): node-pty running `docker exec -it <sandbox> lab-session attach <tab> … -- lab-shell [pod]`, so
// that the shell belongs to a holder in the sandbox and outlives the server (held-shell.ts, sandbox/session/).
import { execFile } from 'node:child_process';
import { spawn } from 'node-pty';
import type { Logger } from '../log';
import { HeldShell, type LinkOptions, type RawPty } from './held-shell';
import type { ShellHost } from './manager';
import type { PtyLike } from './session';
import { parseSessionList } from './session-records';

export interface DockerCliSpec {
  /** The docker CLI to run (config.terminal.dockerCli). */
  dockerCli: string;
  /** The only environment the docker CLI gets (config.terminal.env): TERM, LANG, HOME, PATH, DOCKER_HOST. */
  env: Record<string, string>;
}

export interface ShellSpec extends DockerCliSpec {
  sandboxId: string;
  tab: string;
  /** Network namespace to enter, when the lab defines one for this tab. */
  pod?: string;
  cols: number;
  rows: number;
}

const BIN = '/opt/ebpf-labs/bin';
const LAB_SESSION = `${BIN}/lab-session`;
/** lab-session list and kill answer in milliseconds; a kill waits up to 5 s for a shell that ignores SIGHUP. */
const SESSION_COMMAND_TIMEOUT_MS = 15_000;

/** `docker exec -it` with the terminal's environment, in the sandbox's /root. */
function execArgs(spec: Pick<ShellSpec, 'sandboxId' | 'tab'>): string[] {
  return ['exec', '-it', '-e', 'TERM=xterm-256color', '-e', 'LANG=C.UTF-8', '-e', `LAB_TAB=${spec.tab}`, '-w', '/root', spec.sandboxId];
}

/** The in-sandbox lab-shell enters the pod (netns + cgroup) when it exists. */
const labShell = (pod?: string) => [`${BIN}/lab-shell`, ...(pod ? [pod] : [])];

/** argv for `docker exec` running lab-shell directly: the shell dies with its docker exec (the benchmark's floor). */
export function shellArgs(spec: Pick<ShellSpec, 'sandboxId' | 'tab' | 'pod'>): string[] {
  return [...execArgs(spec), ...labShell(spec.pod)];
}

/** node-pty running lab-shell directly, without a holder. */
export function spawnShell(spec: ShellSpec): PtyLike {
  return spawn(spec.dockerCli, shellArgs(spec), {
    name: 'xterm-256color',
    cols: spec.cols,
    rows: spec.rows,
    cwd: '/',
    env: spec.env,
  });
}

/**
 * argv for `docker exec` attaching to the tab's holder. Sandboxes made from an image without lab-session (adopted
 * across the upgrade that brought it) run lab-shell directly instead, as before: the server sees no session header
 * and treats the stream as a plain shell.
 */
export function attachArgs(spec: Pick<ShellSpec, 'sandboxId' | 'tab' | 'pod'>, link: Omit<LinkOptions, 'cols' | 'rows'>): string[] {
  const attach = [
    'attach',
    ...(link.replace ? ['--replace'] : []),
    ...(link.holder ? ['--holder', link.holder] : []),
    spec.tab,
    String(link.offset),
    '--',
    ...labShell(spec.pod),
  ];
  const orPlainShell = `[ -x ${LAB_SESSION} ] && exec ${LAB_SESSION} "$@"; while [ "$1" != -- ]; do shift; done; shift; exec "$@"`;
  return [...execArgs(spec), '/bin/sh', '-c', orPlainShell, 'lab-session', ...attach];
}

/** node-pty running lab-session attach; bytes, not text, so that the held shell can count them. */
export function spawnLink(spec: ShellSpec, link: Omit<LinkOptions, 'cols' | 'rows'>): RawPty {
  const pty = spawn(spec.dockerCli, attachArgs(spec, link), {
    name: 'xterm-256color',
    cols: spec.cols,
    rows: spec.rows,
    cwd: '/',
    env: spec.env,
    encoding: null,
  });
  // With encoding null, node-pty hands out Buffers (its typings say string).
  return pty as unknown as RawPty;
}

/** Runs lab-session (list, kill) in a sandbox; its standard output. */
function labSession(cli: DockerCliSpec, sandboxId: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cli.dockerCli,
      ['exec', sandboxId, LAB_SESSION, ...args],
      // The allow-list and nothing else (ProcessEnv's typings insist on a NODE_ENV that the docker CLI never reads).
      { env: cli.env as NodeJS.ProcessEnv, timeout: SESSION_COMMAND_TIMEOUT_MS, maxBuffer: 256 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => (err ? reject(new Error(`lab-session ${args[0]}: ${stderr.trim() || err.message}`)) : resolve(stdout)),
    );
  });
}

/** The shells of terminal tabs, held in their sandboxes and reached with the docker CLI. */
export function dockerShellHost(cli: DockerCliSpec, log?: Logger): ShellHost {
  return {
    open(sandboxId, tab, opts) {
      const spec = { ...cli, sandboxId, tab: tab.name, pod: tab.pod };
      return new HeldShell(
        {
          link: (link) => spawnLink({ ...spec, cols: link.cols, rows: link.rows }, link),
          killHolder: async (holder) => void (await labSession(cli, sandboxId, ['kill', tab.name, holder])),
          log,
        },
        { replace: opts.fresh, cols: opts.cols, rows: opts.rows },
      );
    },
    list: async (sandboxId) => parseSessionList(await labSession(cli, sandboxId, ['list'])),
    kill: async (sandboxId, name) => void (await labSession(cli, sandboxId, ['kill', name])),
  };
}
