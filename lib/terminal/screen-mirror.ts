// The server's copy of one terminal's screen: a headless xterm fed with everything the shell prints, resized with
// the browser, from which a browser that comes back (a reload, a server restart) gets exactly the screen and the
// scrollback it had, at its size: SerializeAddon's output plus the few states the addon leaves out.
// Node only. It runs in the mirror worker (mirror-worker.ts), off the server's event loop: parsing costs tens of ms
// of CPU a MiB and serializing a full scrollback a few hundred ms (npm run bench:terminal).
import headless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import unicode11Addon from '@xterm/addon-unicode11';
import type { ScreenSnapshot } from './mirror-messages';
import { scrollbackFor } from './scrollback';

// The packages are CommonJS bundles whose exports Node cannot name statically: import the module, then its parts.
const { Terminal } = headless;
const { SerializeAddon } = serializeAddon;
const { Unicode11Addon } = unicode11Addon;

/** Full reset (RIS): the restore starts from a blank terminal, whatever the browser's terminal showed before. */
export const RESET = '\x1bc';
const SAVE_CURSOR = '\x1b7';
const RESTORE_CURSOR = '\x1b8';

/**
 * What xterm keeps of the states SerializeAddon does not write, read from its internals (the addon reads them the
 * same way for the current colours). Each is optional: a later xterm that moves one loses that state in restores,
 * and screen-mirror.test.ts says which.
 */
interface XtermInternals {
  _core?: {
    coreService?: { isCursorHidden?: boolean };
    coreMouseService?: { activeEncoding?: string };
    buffers?: { active?: { scrollTop?: number; scrollBottom?: number } };
  };
}

export class ScreenMirror {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer = new SerializeAddon();
  /** Bumped as writes and resizes are applied (in stream order): a snapshot of an unchanged screen is reused. */
  private version = 0;
  private cached?: { version: number; snapshot: ScreenSnapshot };

  constructor(cols: number, rows: number) {
    this.term = new Terminal({ cols, rows, scrollback: scrollbackFor(cols), allowProposedApi: true });
    this.term.loadAddon(this.serializer);
    // The browser's xterm measures characters with Unicode 11 widths: so must the mirror, or emoji wrap differently.
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Feeds output; `parsed` runs once the terminal has applied it. */
  write(text: string, parsed?: () => void): void {
    this.term.write(text, () => {
      this.version++;
      parsed?.();
    });
  }

  /**
   * Resizes in stream order: output written before is laid out at the old size and reflowed, output written after
   * at the new one, as in the browser's terminal. The scrollback follows the width (scrollback.ts).
   */
  resize(cols: number, rows: number): void {
    this.term.write('', () => {
      if (cols === this.term.cols && rows === this.term.rows) return;
      this.term.resize(cols, rows);
      this.term.options.scrollback = scrollbackFor(cols);
      this.version++;
    });
  }

  /** The screen once everything written so far is applied. */
  snapshot(): Promise<ScreenSnapshot> {
    return new Promise((resolve, reject) =>
      this.term.write('', () => {
        try {
          resolve(this.snapshotNow());
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
  }

  private snapshotNow(): ScreenSnapshot {
    if (this.cached?.version === this.version) return this.cached.snapshot;
    const content = this.serializer.serialize({ excludeModes: true });
    // Modes and the scroll region go last, between a save and a restore of the cursor: setting origin mode or a
    // scroll region moves the cursor home.
    const states = modes(this.term) + hiddenStates(this.term);
    // Copied into one flat string: SerializeAddon builds it by concatenation, a tree of pieces that costs about 25
    // times its length while it is cached (10 MiB for a full scrollback at 80 columns, npm run bench:terminal).
    const screen = flatten(RESET + content + (states ? SAVE_CURSOR + states + RESTORE_CURSOR : ''));
    const snapshot = { screen, cols: this.term.cols, rows: this.term.rows };
    this.cached = { version: this.version, snapshot };
    return snapshot;
  }

  /** Every line of the active buffer as text, wrapped rows joined (for tests and the benchmark). */
  lines(): Promise<string[]> {
    return new Promise((resolve) =>
      this.term.write('', () => {
        const buffer = this.term.buffer.active;
        const out: string[] = [];
        for (let y = 0; y < buffer.length; y++) {
          const line = buffer.getLine(y)!;
          // A row that wraps on keeps its trailing spaces: they are in the middle of the line.
          const text = line.translateToString(!buffer.getLine(y + 1)?.isWrapped);
          if (line.isWrapped && out.length) out[out.length - 1] += text;
          else out.push(text);
        }
        resolve(out);
      }),
    );
  }

  dispose(): void {
    this.term.dispose();
  }
}

/** The same text as one contiguous string (a round trip through UTF-8 copies it; a surrogate pair survives it). */
function flatten(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The terminal modes a program set (SerializeAddon's list, which it writes after the cursor, where they move it). */
function modes(term: InstanceType<typeof Terminal>): string {
  const m = term.modes;
  let out = '';
  if (m.applicationCursorKeysMode) out += '\x1b[?1h';
  if (m.applicationKeypadMode) out += '\x1b[?66h';
  if (m.bracketedPasteMode) out += '\x1b[?2004h';
  if (m.insertMode) out += '\x1b[4h';
  if (m.originMode) out += '\x1b[?6h';
  if (m.reverseWraparoundMode) out += '\x1b[?45h';
  if (m.sendFocusMode) out += '\x1b[?1004h';
  if (!m.wraparoundMode) out += '\x1b[?7l';
  const mouse = { none: '', x10: '\x1b[?9h', vt200: '\x1b[?1000h', drag: '\x1b[?1002h', any: '\x1b[?1003h' };
  out += mouse[m.mouseTrackingMode];
  return out;
}

/** States SerializeAddon leaves out: a hidden cursor, the mouse report encoding, a scroll region. */
function hiddenStates(term: InstanceType<typeof Terminal>): string {
  const core = (term as unknown as XtermInternals)._core;
  let out = '';
  const encoding = core?.coreMouseService?.activeEncoding;
  if (encoding === 'SGR') out += '\x1b[?1006h';
  else if (encoding === 'SGR_PIXELS') out += '\x1b[?1016h';
  const buffer = core?.buffers?.active;
  const top = buffer?.scrollTop ?? 0;
  const bottom = buffer?.scrollBottom ?? term.rows - 1;
  if (top !== 0 || bottom !== term.rows - 1) out += `\x1b[${top + 1};${bottom + 1}r`;
  if (core?.coreService?.isCursorHidden) out += '\x1b[?25l';
  return out;
}
