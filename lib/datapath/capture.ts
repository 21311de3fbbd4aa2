// Captures: a bounded tcpdump in a pod (lab-capture in the sandbox), summarised as payload vs control packets per
// flow, so a learner sees which hops still carry data. Shared by the server (parsing) and the browser (comparing).

export interface FlowSummary {
  /** "10.10.0.1:45678 ⇄ 10.10.0.2:5201", endpoints in a fixed order so both directions count together. */
  flow: string;
  packets: number;
  /** Packets with a TCP payload (length > 0). */
  payloadPackets: number;
  /** Packets without one: SYN, FIN, RST, pure ACKs. */
  controlPackets: number;
  payloadBytes: number;
}

export interface InterfaceCapture {
  name: string;
  packets: number;
  payloadPackets: number;
  controlPackets: number;
  payloadBytes: number;
  /** Busiest flows first. */
  flows: FlowSummary[];
  /** The first lines as tcpdump printed them. */
  firstLines: string[];
  /** The packet limit was reached: the capture stopped early. */
  hitLimit: boolean;
  /** Packets the kernel dropped before tcpdump read them (tcpdump's own report). */
  dropped: number;
}

export interface CaptureResult {
  id: string;
  at: string;
  /** The lab's state when the capture ran, e.g. "acceleration on" (lab.yaml datapath.state). */
  state?: string;
  pod: string;
  seconds: number;
  limit: number;
  traffic?: string;
  interfaces: InterfaceCapture[];
}

export const FIRST_LINES = 12;
export const MAX_FLOWS = 8;

const PACKET = /^\d+\.\d+ IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\].*?, length (\d+)/;

/** Summarises one interface's tcpdump -nn -tt output (and the stats lines tcpdump prints on stderr). */
export function summariseTcpdump(name: string, text: string, limit: number): InterfaceCapture {
  const flows = new Map<string, FlowSummary>();
  const out: InterfaceCapture = { name, packets: 0, payloadPackets: 0, controlPackets: 0, payloadBytes: 0, flows: [], firstLines: [], hitLimit: false, dropped: 0 };
  for (const line of text.split('\n')) {
    const dropped = /^(\d+) packets dropped by kernel/.exec(line);
    if (dropped) out.dropped = Number(dropped[1]);
    const m = PACKET.exec(line);
    if (!m) continue;
    if (out.firstLines.length < FIRST_LINES) out.firstLines.push(line.slice(0, 300));
    const a = `${m[1]}:${m[2]}`;
    const b = `${m[3]}:${m[4]}`;
    const key = a < b ? `${a} ⇄ ${b}` : `${b} ⇄ ${a}`;
    const length = Number(m[6]);
    let f = flows.get(key);
    if (!f) flows.set(key, (f = { flow: key, packets: 0, payloadPackets: 0, controlPackets: 0, payloadBytes: 0 }));
    for (const s of [f, out]) {
      s.packets++;
      if (length > 0) {
        s.payloadPackets++;
        s.payloadBytes += length;
      } else s.controlPackets++;
    }
  }
  out.flows = [...flows.values()].sort((x, y) => y.packets - x.packets).slice(0, MAX_FLOWS);
  out.hitLimit = out.packets >= limit;
  return out;
}

/** Splits lab-capture's output ("=== <interface>" sections) into summaries. */
export function parseCaptureOutput(stdout: string, limit: number): InterfaceCapture[] {
  const sections = stdout.split(/^=== /m).slice(1);
  return sections.map((s) => {
    const nl = s.indexOf('\n');
    return summariseTcpdump(s.slice(0, nl < 0 ? undefined : nl).trim(), nl < 0 ? '' : s.slice(nl + 1), limit);
  });
}

export interface CaptureComparisonRow {
  name: string;
  before: { payloadPackets: number; controlPackets: number; payloadBytes: number };
  after: { payloadPackets: number; controlPackets: number; payloadBytes: number };
}

/**
 * The pair of captures worth comparing: the latest in each of two states (the "before" is the older one), or,
 * without states, the two latest. Captures are newest first.
 */
export function comparisonPair(captures: CaptureResult[]): [CaptureResult, CaptureResult] | undefined {
  const [latest] = captures;
  if (!latest) return undefined;
  const other = latest.state ? captures.find((c) => c.state && c.state !== latest.state) : captures[1];
  return other ? [other, latest] : undefined;
}

export function compareCaptures(before: CaptureResult, after: CaptureResult): CaptureComparisonRow[] {
  const pick = (c?: InterfaceCapture) => ({ payloadPackets: c?.payloadPackets ?? 0, controlPackets: c?.controlPackets ?? 0, payloadBytes: c?.payloadBytes ?? 0 });
  const names = [...new Set([...before.interfaces, ...after.interfaces].map((i) => i.name))];
  return names.map((name) => ({
    name,
    before: pick(before.interfaces.find((i) => i.name === name)),
    after: pick(after.interfaces.find((i) => i.name === name)),
  }));
}
