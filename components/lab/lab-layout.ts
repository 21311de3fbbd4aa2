// How the learner arranged a lab's page: the steps/workspace split, the terminals/tools split, the tool on view and
// whether it is maximised. Kept per lab in a cookie scoped to the lab's page, so the server renders the page as the
// learner left it (no jump after hydration, no second fit of the terminals). Pure: the page reads it on the server,
// the workspace writes it in the browser.
import type { Tool } from './use-tool-tabs';

/** Panel id -> percentage of its group, as react-resizable-panels reports and accepts it. */
export type PanelSizes = Record<string, number>;

export interface LabLayout {
  /** The steps | workspace split. */
  columns?: PanelSizes;
  /** The terminals | tools split. */
  rows?: PanelSizes;
  tool?: Tool;
  /** The tools pane covers the terminals. */
  maximised?: boolean;
}

const TOOLS: readonly Tool[] = ['editor', 'datapath', 'benchmarks'];
/** A year: the arrangement outlives the sandbox and the browser session. */
const MAX_AGE_S = 365 * 24 * 3600;

export const layoutCookieName = (slug: string) => `ebpf-labs-layout-${slug}`;

function sizes(v: unknown): PanelSizes | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0 || entries.some(([, n]) => typeof n !== 'number' || !(n >= 0 && n <= 100))) return undefined;
  const total = entries.reduce((sum, [, n]) => sum + (n as number), 0);
  return Math.abs(total - 100) < 1 ? (Object.fromEntries(entries) as PanelSizes) : undefined;
}

/** The cookie's value as the page saved it; anything malformed is dropped (the defaults apply). */
export function parseLabLayout(raw: string | undefined): LabLayout {
  if (!raw) return {};
  let v: Record<string, unknown>;
  try {
    // The page writes it URI-encoded; the server may hand it over encoded or already decoded.
    v = JSON.parse(raw.startsWith('%') ? decodeURIComponent(raw) : raw) as Record<string, unknown>;
  } catch {
    return {};
  }
  if (!v || typeof v !== 'object') return {};
  return {
    columns: sizes(v.columns),
    rows: sizes(v.rows),
    tool: TOOLS.find((t) => t === v.tool),
    maximised: v.maximised === true ? true : undefined,
  };
}

/** Sizes for a group with exactly these panels, or undefined (a saved layout of other panels does not apply). */
export function sizesFor(saved: PanelSizes | undefined, ids: string[]): PanelSizes | undefined {
  if (!saved) return undefined;
  const keys = Object.keys(saved);
  return keys.length === ids.length && ids.every((id) => keys.includes(id)) ? saved : undefined;
}

/** In the browser: the cookie goes only to this lab's page (its path), never to the API. */
export function saveLabLayout(slug: string, layout: LabLayout): void {
  const value = encodeURIComponent(JSON.stringify(layout));
  document.cookie = `${layoutCookieName(slug)}=${value}; path=/labs/${encodeURIComponent(slug)}; max-age=${MAX_AGE_S}; samesite=lax`;
}
