// How much scrollback a terminal keeps, the same in the browser's xterm and in the server's screen mirror
// (screen-mirror.ts): a restore is exact only when both keep, and drop, the same lines. No Node or DOM dependencies.
//
// Bounded in cells rather than lines: the mirror costs the server 12 bytes a cell (xterm keeps three 32-bit words
// per cell, whatever the line holds), and a browser may ask for up to 1000 columns.

/** Lines kept at most: xterm's usual scrollback, and what the terminals kept before there was a mirror. */
export const MAX_SCROLLBACK_LINES = 5000;
/** Lines kept at least, however wide the terminal. */
export const MIN_SCROLLBACK_LINES = 200;
/**
 * Cells of scrollback per terminal: 400,000 cells is 4.8 MB of mirror buffer at most per tab (plus about 1.5 MB of
 * per-line objects): 5000 lines at 80 columns, 4000 at 100, 2000 at 200.
 */
export const SCROLLBACK_CELLS = 400_000;

/** The scrollback (in lines) of a terminal `cols` wide. */
export function scrollbackFor(cols: number): number {
  return Math.max(MIN_SCROLLBACK_LINES, Math.min(MAX_SCROLLBACK_LINES, Math.floor(SCROLLBACK_CELLS / Math.max(1, cols))));
}
