// How the terminals look and behave: xterm.js options, the colours matching the page's dark theme.
import type { ITerminalOptions } from '@xterm/xterm';

const THEME: ITerminalOptions['theme'] = {
  background: '#010409',
  foreground: '#e6edf3',
  cursor: '#58a6ff',
  selectionBackground: '#264f78',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#6e7681',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f6fc',
};

export const TERMINAL_OPTIONS: ITerminalOptions = {
  allowProposedApi: true,
  cursorBlink: true,
  fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
  fontSize: 14,
  // 1.0 clips underscores in the DOM renderer with common monospace fonts.
  lineHeight: 1.15,
  scrollback: 5000,
  theme: THEME,
  macOptionIsMeta: true,
};
