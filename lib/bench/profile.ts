// What a lab's benchmark runs: its modes (the script that switches the sandbox to each, and what each mode's samples
// must show), the counters read around every sample, and the script that puts the sandbox back. The acceleration
// lab's modes are the default; a lab lists its own in lab.yaml (benchmark.modes).
import type { Lab } from '../labs/schema';
import { DEFAULT_ROLES, MODES, defaultExpectation, type Mode, type ModeExpectation, type ModeRoles } from './model';

export interface ModeSpec extends ModeExpectation {
  name: Mode;
  /** Bash (lab tools on the PATH) that switches the sandbox to this mode. */
  run: string;
}

/** A lab's own benchmark; undefined: the acceleration lab's (lib/bench/runner.ts knows its tools). */
export interface BenchProfile {
  modes: ModeSpec[];
  roles: ModeRoles;
  /** Prints one JSON line: {proxyConnections, redirected, proxyReads?}. */
  counters: string;
  restore: string;
  /** The proxy the lab's modes run (the image's when unset): named in the run's environment. */
  proxy?: string;
}

export function labProfile(lab: Lab): BenchProfile | undefined {
  const b = lab.meta.benchmark;
  if (!b?.modes || !b.counters || !b.restore || !b.reference || !b.accelerated) return undefined;
  return {
    modes: b.modes.map((m) => ({ name: m.name, run: m.run, viaProxy: m.viaProxy, redirected: m.redirected, noProxyReads: m.noProxyReads })),
    roles: { direct: 'direct', reference: b.reference, accelerated: b.accelerated },
    counters: b.counters,
    restore: b.restore,
    ...(b.proxy ? { proxy: b.proxy } : {}),
  };
}

/** The proxy a run measures, for its environment line: the lab's, with the modes that go through it. */
export function proxyMeasured(imageProxy: string, profile?: BenchProfile): string {
  if (!profile?.proxy) return imageProxy;
  const modes = profile.modes.filter((m) => m.viaProxy).map((m) => m.name);
  return modes.length ? `${profile.proxy} (${modes.join(', ')})` : profile.proxy;
}

export const modeNames = (profile?: BenchProfile): Mode[] => (profile ? profile.modes.map((m) => m.name) : [...MODES]);
export const modeRoles = (profile?: BenchProfile): ModeRoles => profile?.roles ?? DEFAULT_ROLES;
export const expectationOf = (mode: Mode, profile?: BenchProfile): ModeExpectation =>
  profile?.modes.find((m) => m.name === mode) ?? defaultExpectation(mode);

/** The modes of a configuration that the lab does not have, for a message that names them. */
export const unknownModes = (modes: Mode[], profile?: BenchProfile): Mode[] => modes.filter((m) => !modeNames(profile).includes(m));
