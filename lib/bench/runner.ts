// The benchmark runner: executes a plan inside a learner's sandbox (through the sandbox's own tools: redirectctl,
// accelctl, proxyctl, iperf3, sockperf), verifies every sample's datapath against its mode, and restores the
// sandbox as it found it. Everything the sandbox prints is a program's output in the learner's sandbox: parsed with
// schemas, and garbage becomes a failed sample or a failed run with a message, never an exception thrown elsewhere.
import { z } from 'zod';
import { AppError } from '../errors';
import {
  SOCKPERF_MAX_MESSAGE,
  plan,
  sampleSeconds,
  verifyDatapath,
  type BenchConfig,
  type Mode,
  type PlannedRun,
  type Sample,
} from './model';
import { contextSwitchesBetween } from './context-switches';
import { parseIperf3, parseSockperf } from './parse';
import { expectationOf, proxyMeasured, type BenchProfile } from './profile';
import type { BenchProgress, Environment } from './types';

/** Runs a bash script in the sandbox with the lab environment (lab-exec); `overflow`: it printed past its limit. */
export type SandboxShell = (
  script: string,
  timeoutMs: number,
) => Promise<{ exitCode: number; stdout: string; stderr: string; overflow?: boolean; outputLimit?: number }>;

/** The counters a sample script prints before and after the tools (null: the proxy reports none yet). */
const CountersSchema = z.object({
  proxyConnections: z.number().nullable().transform((n) => n ?? 0),
  redirected: z.number().nullable().transform((n) => n ?? 0),
  proxyReads: z.number().optional(),
  /** The proxy's context switches (all its threads) and wake-ups in user space, when the lab's counters report them. */
  proxyContextSwitches: z.number().nullish().transform((n) => n ?? undefined),
  proxyWakeups: z.number().nullish().transform((n) => n ?? undefined),
});
type CountersLine = z.infer<typeof CountersSchema>;

/** "@@LATENCY_START <ctxt> <counters>": the machine's context switches and the counters, around the latency run. */
interface LatencyMark {
  host: number;
  counters: CountersLine;
}

function parseLatencyMark(text: string): LatencyMark | undefined {
  const m = /^(\d{1,20}) (\{.*)$/.exec(text);
  const counters = m ? parseJson(CountersSchema, m[2]!) : undefined;
  return m && counters ? { host: Number(m[1]), counters } : undefined;
}

/** What the sandbox reports before a run (the script in initialState). */
const InitialSchema = z.object({
  kernel: z.string(),
  cpus: z.number().int().positive(),
  proxy: z.string(),
  pin: z.string(),
  redirectOn: z.boolean().nullish(),
  accelOn: z.boolean().nullish(),
  workspace: z.boolean(),
});

/** A JSON text checked against a schema; undefined when it is not JSON or not of that shape. */
function parseJson<T>(schema: z.ZodType<T, unknown>, text: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** "printed more than 64 KiB", for a script the exec layer stopped. */
const tooMuch = (limit?: number) => `printed more than ${limit ? `${Math.round(limit / 1024)} KiB` : 'its output limit'} and was stopped`;

export interface RunHooks {
  signal?: AbortSignal;
  onEnvironment?(env: Environment): void;
  onProgress?(p: BenchProgress): void;
  onSample?(s: Sample): void;
}

const PRELUDE = '. /opt/ebpf-labs/lib/lab.sh\n';
/** Switching modes restarts the app and the proxy and (re)loads programs: seconds; a minute means it is stuck. */
const SETTLE_TIMEOUT_MS = 60_000;

interface InitialState {
  env: Environment;
  redirectOn: boolean;
  accelOn: boolean;
  pin: string;
  workspace: boolean;
}

/** The acceleration lab's counters: the proxy's connections, sk_msg's redirects. */
const ACCEL_COUNTERS = `jq -nc --argjson p "$(proxyctl stats --json)" --argjson a "$(accelctl status --json)" '{proxyConnections: $p.connections_total, redirected: $a.redirected}'`;

/** The sample script: counters, the tools (raw output, errors included), counters again. */
export function sampleScript(run: PlannedRun, config: BenchConfig, profile?: BenchProfile): string {
  const counters = profile ? `$(${profile.counters})` : `$(${ACCEL_COUNTERS})`;
  const lines = [PRELUDE, `echo "@@BEFORE ${counters}"`];
  if (config.tools.includes('iperf3')) {
    lines.push('echo @@IPERF', `in_pod client $(pinned) iperf3 -c "$SERVER_IP" -p "$IPERF_PORT" -t ${config.durationS} -l ${run.size} -J || true`);
  }
  if (config.tools.includes('sockperf') && run.size <= SOCKPERF_MAX_MESSAGE) {
    // Context switches are counted around the latency run alone, whose round trips sockperf reports.
    const mark = `$(awk '/^ctxt / { print $2 }' /proc/stat) ${counters}`;
    lines.push(
      `echo "@@LATENCY_START ${mark}"`,
      'echo @@SOCKPERF',
      `in_pod client $(pinned) sockperf ping-pong --tcp -i "$SERVER_IP" -p "$SOCKPERF_PORT" -m ${run.size} -t ${config.durationS} 2>&1 || true`,
      `echo "@@LATENCY_END ${mark}"`,
    );
  }
  lines.push(`echo "@@AFTER ${counters}"`);
  return lines.join('\n');
}

/** Splits a sample script's output into its sections. */
export interface Sections {
  before?: CountersLine;
  after?: CountersLine;
  iperf?: string;
  sockperf?: string;
  latencyStart?: LatencyMark;
  latencyEnd?: LatencyMark;
}

export function splitSections(stdout: string): Sections {
  const out: Sections = {};
  let section: 'iperf' | 'sockperf' | undefined;
  const buf: Record<'iperf' | 'sockperf', string[]> = { iperf: [], sockperf: [] };
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@@BEFORE ')) out.before = parseJson(CountersSchema, line.slice(9));
    else if (line.startsWith('@@AFTER ')) out.after = parseJson(CountersSchema, line.slice(8));
    else if (line.startsWith('@@LATENCY_START ')) {
      out.latencyStart = parseLatencyMark(line.slice(16));
      section = undefined;
    } else if (line.startsWith('@@LATENCY_END ')) {
      out.latencyEnd = parseLatencyMark(line.slice(14));
      section = undefined;
    }
    else if (line === '@@IPERF') section = 'iperf';
    else if (line === '@@SOCKPERF') section = 'sockperf';
    else if (section) buf[section].push(line);
  }
  if (buf.iperf.length) out.iperf = buf.iperf.join('\n');
  if (buf.sockperf.length) out.sockperf = buf.sockperf.join('\n');
  return out;
}

export function modeScript(mode: Mode, accelDir: string, profile?: BenchProfile): string {
  if (profile) {
    const spec = profile.modes.find((m) => m.name === mode);
    if (!spec) throw new AppError('bench_failed', `The lab has no benchmark mode "${mode}".`, { status: 400 });
    return spec.run;
  }
  switch (mode) {
    case 'direct':
      return 'accelctl off >/dev/null; redirectctl off >/dev/null';
    case 'proxy':
      return 'accelctl off >/dev/null; redirectctl on >/dev/null';
    case 'proxy+accel':
      return `redirectctl on >/dev/null; accelctl on ${accelDir} >/dev/null`;
    default:
      throw new AppError('bench_failed', `The lab has no benchmark mode "${mode}".`, { status: 400 });
  }
}

export class BenchRunner {
  /** Without a profile: the acceleration lab's modes and tools. */
  constructor(
    private readonly shell: SandboxShell,
    private readonly profile?: BenchProfile,
  ) {}

  private async sh(script: string, timeoutMs = SETTLE_TIMEOUT_MS, what = 'a benchmark step'): Promise<string> {
    const r = await this.shell(PRELUDE + script, timeoutMs);
    if (r.exitCode !== 0 || r.overflow) {
      throw new AppError('bench_failed', `The benchmark failed at ${what}.`, {
        details: [r.overflow ? tooMuch(r.outputLimit) : `exit ${r.exitCode}`, ...`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-10).map((l) => l.slice(0, 500))],
        hint: 'Check the lab is set up: lab-pods status in the sandbox tab (Reset lab recreates it).',
      });
    }
    return r.stdout;
  }

  private async initialState(): Promise<InitialState> {
    // A lab with its own modes has its own proxy and programs: only the platform is looked at, and its restore
    // script puts the sandbox back afterwards.
    const state = this.profile
      ? `jq -nc --arg kernel "$(uname -r)" --argjson cpus "$(nproc)" --arg proxy "$LAB_PROXY" --arg pin "$(pin_cpu)" \\
           '{kernel: $kernel, cpus: $cpus, proxy: $proxy, pin: $pin, workspace: true}'`
      : `proxyctl status >/dev/null || { echo "the proxy is not running (proxyctl start)" >&2; exit 3; }
       jq -nc --arg kernel "$(uname -r)" --argjson cpus "$(nproc)" --arg proxy "$LAB_PROXY" --arg pin "$(pin_cpu)" \\
         --argjson redirect "$(redirectctl status --json)" --argjson accel "$(accelctl status --json)" \\
         --argjson workspace "$([ -f /root/lab/sockops.bpf.o ] && [ -f /root/lab/redirect.bpf.o ] && echo true || echo false)" \\
         '{kernel: $kernel, cpus: $cpus, proxy: $proxy, pin: $pin, redirectOn: $redirect.on, accelOn: $accel.on, workspace: $workspace}'`;
    const out = await this.sh(
      `pod_exists server || { echo "the lab's pods are not up (lab-pods up creates them)" >&2; exit 3; }
       ${state}`,
      SETTLE_TIMEOUT_MS,
      'looking at the sandbox',
    );
    const s = parseJson(InitialSchema, out.trim().split('\n').pop() ?? '');
    if (!s) {
      throw new AppError('bench_failed', 'The benchmark failed at looking at the sandbox: its tools answered something unexpected.', {
        details: out.trim().split('\n').slice(-5).map((l) => l.slice(0, 500)),
        hint: 'Reset the lab if you changed the sandbox\'s tools (proxyctl, redirectctl, accelctl); otherwise try again.',
      });
    }
    return {
      env: { kernel: s.kernel, cpus: s.cpus, proxy: proxyMeasured(s.proxy, this.profile), pinning: s.pin },
      redirectOn: s.redirectOn ?? false,
      accelOn: s.accelOn ?? false,
      pin: s.pin,
      workspace: s.workspace,
    };
  }

  /**
   * Runs the plan. Resolves with the samples (every one also passed to onSample as it completes); stops early when
   * the signal aborts, leaving the sandbox as it found it either way.
   */
  async run(config: BenchConfig, hooks: RunHooks = {}, extraEnv: Partial<Environment> = {}): Promise<{ samples: Sample[]; cancelled: boolean }> {
    const initial = await this.initialState();
    // The accelerated mode uses the learner's own build when there is one (the lab's ~/lab), else the reference.
    const accelDir = initial.workspace ? '/root/lab' : '/opt/ebpf-labs/bpf/accel';
    const cpu = Math.max(0, initial.env.cpus - 1);
    const pinning = config.pinned ? String(cpu) : 'none';
    const env: Environment = { ...initial.env, ...extraEnv, pinning, accelPrograms: initial.workspace ? 'workspace' : 'reference' };
    hooks.onEnvironment?.(env);

    const runs = plan(config, this.profile?.modes.map((m) => m.name));
    const samples: Sample[] = [];
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      void this.shell('pkill -f "iperf3 -c" ; pkill -f "sockperf ping-pong"; true', 10_000).catch(() => undefined);
    };
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Re-pinning restarts the app and the proxy: only when the pinning changes.
      if (pinning !== initial.pin) await this.sh(`lab-pods pin ${pinning} >/dev/null`, SETTLE_TIMEOUT_MS, 'pinning the participants');
      let mode: Mode | undefined;
      let elapsedS = 0;
      for (const run of runs) {
        if (cancelled || hooks.signal?.aborted) break;
        const left = runs.slice(run.index).reduce((s, r) => s + sampleSeconds(config, r.size), 0);
        const secondsLeft = run.index > 0 ? Math.round((elapsedS / run.index) * (runs.length - run.index)) : Math.round(left);
        hooks.onProgress?.({ index: run.index, total: runs.length, rep: run.rep, size: run.size, mode: run.mode, secondsLeft });
        if (run.mode !== mode) {
          await this.sh(modeScript(run.mode, accelDir, this.profile), SETTLE_TIMEOUT_MS, `switching to ${run.mode}`);
          mode = run.mode;
        }
        const sample = await this.sample(run, config);
        elapsedS += sample.durationMs / 1000;
        if (cancelled) break; // a sample cut short by Cancel is not a measurement
        samples.push(sample);
        hooks.onSample?.(sample);
      }
    } finally {
      hooks.signal?.removeEventListener('abort', onAbort);
      await this.sh(
        [
          pinning !== initial.pin ? `lab-pods pin ${initial.pin} >/dev/null` : '',
          ...(this.profile
            ? [this.profile.restore]
            : [
                initial.redirectOn ? 'redirectctl on >/dev/null' : 'redirectctl off >/dev/null',
                initial.accelOn ? `accelctl on ${accelDir} >/dev/null` : 'accelctl off >/dev/null',
              ]),
        ].join('\n'),
        SETTLE_TIMEOUT_MS,
        'restoring the sandbox',
      );
    }
    return { samples, cancelled };
  }

  private async sample(run: PlannedRun, config: BenchConfig): Promise<Sample> {
    const startedAt = new Date();
    const timeoutMs = (sampleSeconds(config, run.size) + 30) * 1000;
    const r = await this.shell(sampleScript(run, config, this.profile), timeoutMs);
    const sections = splitSections(r.stdout);
    const sample: Sample = {
      ...run,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      datapath: { proxyConnections: 0, redirected: 0, ok: false, problems: [] },
    };
    const errors: string[] = [];
    try {
      if (sections.iperf !== undefined) sample.iperf = parseIperf3(sections.iperf);
    } catch (e) {
      errors.push((e as Error).message);
    }
    try {
      if (sections.sockperf !== undefined) sample.sockperf = parseSockperf(sections.sockperf);
    } catch (e) {
      errors.push((e as Error).message);
    }
    if (r.overflow) errors.push(`the sample ${tooMuch(r.outputLimit)}`);
    const { latencyStart: start, latencyEnd: end } = sections;
    if (start && end && sample.sockperf?.roundTrips) {
      sample.contextSwitches = contextSwitchesBetween(
        { host: start.host, proxy: start.counters.proxyContextSwitches, proxyWakeups: start.counters.proxyWakeups },
        { host: end.host, proxy: end.counters.proxyContextSwitches, proxyWakeups: end.counters.proxyWakeups },
        sample.sockperf.roundTrips,
      );
    }
    if (sections.before && sections.after) {
      sample.datapath = verifyDatapath(run.mode, sections.before, sections.after, expectationOf(run.mode, this.profile));
    }
    else errors.push(`the counters could not be read (${r.stderr.trim().split('\n').pop()?.slice(0, 300) || `exit ${r.exitCode}`})`);
    if (errors.length) sample.error = errors.join('; ');
    return sample;
  }
}
