// What the Datapath pane shows, computed from a lab's topology and a frame: pure, shared with the browser.
import type { Datapath, DatapathCounter, DatapathEdge, DatapathNode } from '../labs/schema';
import { unavailableReason, type DatapathFrame } from './frame';

/** An edge carries traffic when its counter moves at least this much per second (ARP and keepalives stay idle). */
export const ACTIVE_MIN_PER_SECOND = 5;

const SI = ['', 'k', 'M', 'G'];
/** 1234 -> "1.23k", 12.5 -> "12.5", 0.4 -> "0.4". */
export function compact(n: number): string {
  let i = 0;
  while (Math.abs(n) >= 1000 && i < SI.length - 1) {
    n /= 1000;
    i++;
  }
  const digits = Math.abs(n) >= 100 || (i === 0 && Number.isInteger(n)) ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${Number(n.toFixed(digits))}${SI[i]}`;
}

/** Bytes per second as bits, the way links are rated: 1.25e8 -> "1 Gbit/s". */
export function bitRate(bytesPerSecond: number): string {
  return `${compact(bytesPerSecond * 8)}bit/s`;
}

const UNIT_SHORT = { packets: 'pkt', messages: 'msg', connections: 'conn' } as const;

export interface EdgeState {
  edge: DatapathEdge;
  /** Per second, undefined before the second sample or when the counter is missing. */
  perSecond?: number;
  bytesPerSecond?: number;
  active: boolean;
  /** The counter is not there: why, for the learner. */
  missing?: string;
  /** "20k pkt/s", or "n/a" / "…". */
  rate: string;
  /** "1Gbit/s" when the edge counts bytes and they move. */
  bits?: string;
  /** A user-space hop (edge.userSpace) whose traffic flows while its payload counter stands still. */
  bypassed: boolean;
}

/** What a bypassed user-space hop says, on the drawing and to screen readers. */
export const NO_USER_SPACE_PAYLOAD = 'no payload through user space';

function missingText(metric: string, frame: DatapathFrame, fallback?: string): string {
  return fallback ?? unavailableReason(metric, frame.unavailable) ?? `not available (${metric} not reported)`;
}

export function edgeState(edge: DatapathEdge, frame: DatapathFrame | undefined): EdgeState {
  if (!frame) return { edge, active: false, rate: '…', bypassed: false };
  if (edge.packets && frame.values[edge.packets] === undefined) {
    return { edge, active: false, missing: missingText(edge.packets, frame, edge.missing), rate: 'n/a', bypassed: false };
  }
  const perSecond = edge.packets ? frame.rates[edge.packets] : undefined;
  const bytesPerSecond = edge.bytes ? frame.rates[edge.bytes] : undefined;
  const active = (perSecond ?? 0) >= ACTIVE_MIN_PER_SECOND;
  // Unknown (no counter, or no rate yet) is not "no payload": only a counter seen standing still says so.
  const payloadPerSecond = edge.userSpace ? frame.rates[edge.userSpace] : undefined;
  const bypassed = active && payloadPerSecond !== undefined && payloadPerSecond < ACTIVE_MIN_PER_SECOND;
  return {
    edge,
    perSecond,
    bytesPerSecond,
    active,
    bypassed,
    rate: perSecond === undefined ? '…' : `${compact(perSecond)} ${UNIT_SHORT[edge.unit]}/s`,
    bits: bytesPerSecond ? bitRate(bytesPerSecond) : undefined,
  };
}

export interface CounterState {
  counter: DatapathCounter;
  value?: number;
  perSecond?: number;
  missing?: string;
  text: string;
}

export function counterState(counter: DatapathCounter, frame: DatapathFrame | undefined): CounterState {
  if (!frame) return { counter, text: '…' };
  const value = frame.values[counter.metric];
  if (value === undefined) return { counter, missing: missingText(counter.metric, frame, counter.missing), text: 'n/a' };
  const perSecond = frame.rates[counter.metric];
  if (counter.show === 'rate') {
    const rate = perSecond === undefined ? '…' : `${compact(perSecond)}/s`;
    return { counter, value, perSecond, text: `${rate} (total ${compact(value)})` };
  }
  return { counter, value, perSecond, text: compact(value) };
}

// Geometry of the diagram (SVG user units).
// The gap between two nodes in a row (CELL_W - NODE_W) holds an edge's two label lines ("23.2k pkt/s").
export const CELL_W = 200;
export const CELL_H = 92;
export const NODE_W = 124;
export const NODE_H = 46;
const MARGIN = 16;

export interface Point {
  x: number;
  y: number;
}

export function nodeCenter(n: DatapathNode): Point {
  return { x: MARGIN + n.col * CELL_W + CELL_W / 2, y: MARGIN + n.row * CELL_H + CELL_H / 2 };
}

export function viewBox(d: Datapath): { width: number; height: number } {
  const cols = Math.max(...d.nodes.map((n) => n.col)) + 1;
  const rows = Math.max(...d.nodes.map((n) => n.row)) + 1;
  return { width: 2 * MARGIN + cols * CELL_W, height: 2 * MARGIN + rows * CELL_H };
}

/** Where the line from a's centre towards b leaves a's box. */
function boxExit(a: Point, b: Point, halfW = NODE_W / 2, halfH = NODE_H / 2): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.min(dx ? halfW / Math.abs(dx) : Infinity, dy ? halfH / Math.abs(dy) : Infinity);
  return { x: a.x + dx * t, y: a.y + dy * t };
}

/** Where an edge's label goes and which way its text runs from there (beside a slanted edge, not across it). */
export interface LabelPlace extends Point {
  anchor: 'start' | 'middle' | 'end';
}

/** The SVG path of an edge and where its label goes. Shortcuts arc over the row above their ends. */
export function edgePath(from: DatapathNode, to: DatapathNode, shortcut: boolean): { d: string; label: LabelPlace } {
  const a = nodeCenter(from);
  const b = nodeCenter(to);
  if (shortcut) {
    const p0 = { x: a.x, y: a.y - NODE_H / 2 };
    const p2 = { x: b.x, y: b.y - NODE_H / 2 };
    const c = { x: (p0.x + p2.x) / 2, y: Math.min(p0.y, p2.y) - CELL_H * 1.1 };
    const label = { x: 0.25 * p0.x + 0.5 * c.x + 0.25 * p2.x, y: 0.25 * p0.y + 0.5 * c.y + 0.25 * p2.y };
    // Above the apex: the rate's two lines end just over the arc.
    return { d: `M ${p0.x} ${p0.y} Q ${c.x} ${c.y} ${p2.x} ${p2.y}`, label: { x: label.x, y: label.y - 18, anchor: 'middle' } };
  }
  const p0 = boxExit(a, b);
  const p1 = boxExit(b, a);
  const mid = { x: (p0.x + p1.x) / 2, y: (p0.y + p1.y) / 2 };
  if (p0.y === p1.y) return { d: `M ${p0.x} ${p0.y} L ${p1.x} ${p1.y}`, label: { ...mid, y: mid.y - 20, anchor: 'middle' } };
  // Slanted: the text sits below the line on its outer side (left of a line going down-right, right of one going
  // up-right), so it crosses neither the line nor the other edge of a V.
  const downRight = (p1.y - p0.y) * (p1.x - p0.x) > 0;
  return { d: `M ${p0.x} ${p0.y} L ${p1.x} ${p1.y}`, label: { x: mid.x + (downRight ? -12 : 12), y: mid.y + 4, anchor: downRight ? 'end' : 'start' } };
}

/** Boxes around the nodes of each group ("server pod"). */
export function groupBoxes(d: Datapath): { label: string; x: number; y: number; width: number; height: number }[] {
  const groups = new Map<string, DatapathNode[]>();
  for (const n of d.nodes) if (n.group) groups.set(n.group, [...(groups.get(n.group) ?? []), n]);
  return [...groups].map(([label, nodes]) => {
    const xs = nodes.map((n) => nodeCenter(n).x);
    const ys = nodes.map((n) => nodeCenter(n).y);
    const pad = 12;
    const x = Math.min(...xs) - NODE_W / 2 - pad;
    const y = Math.min(...ys) - NODE_H / 2 - pad - 14;
    return { label, x, y, width: Math.max(...xs) - Math.min(...xs) + NODE_W + 2 * pad, height: Math.max(...ys) - Math.min(...ys) + NODE_H + 2 * pad + 14 };
  });
}
