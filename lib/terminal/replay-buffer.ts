// The output a terminal session keeps for browsers that come back: bounded, trimmed in whole chunks, addressed by
// character offset in the session's output stream.

export interface Span {
  offset: number;
  text: string;
}

/** Output kept per session: enough for a screen and a few thousand lines of scrollback. */
export const REPLAY_MAX_CHARS = 1024 * 1024;

export class ReplayBuffer {
  private chunks: Span[] = [];
  private size = 0;
  /** Offset of the first character still held. */
  start = 0;
  /** Offset just past the last character (the total ever appended). */
  end = 0;

  constructor(private readonly maxChars = REPLAY_MAX_CHARS) {}

  /** Appends output; returns the offset of its first character. */
  append(text: string): number {
    const offset = this.end;
    if (!text) return offset;
    this.chunks.push({ offset, text });
    this.size += text.length;
    this.end += text.length;
    // Whole chunks only, and always keep the newest one, however large.
    while (this.size > this.maxChars && this.chunks.length > 1) {
      const dropped = this.chunks.shift()!;
      this.size -= dropped.text.length;
      this.start = this.chunks[0]!.offset;
    }
    return offset;
  }

  /** Everything after `offset`, or undefined when that part is no longer held (or was never sent). */
  since(offset: number): string | undefined {
    if (offset < this.start || offset > this.end) return undefined;
    let out = '';
    for (const c of this.chunks) {
      if (c.offset + c.text.length <= offset) continue;
      out += c.offset >= offset ? c.text : c.text.slice(offset - c.offset);
    }
    return out;
  }

  /**
   * What a fresh screen needs: everything held, starting at a line boundary once older output was dropped, so the
   * replay never begins inside an escape sequence.
   */
  snapshot(): Span {
    const text = this.since(this.start) ?? '';
    if (this.start === 0) return { offset: 0, text };
    const nl = text.indexOf('\n');
    return nl < 0 ? { offset: this.start, text } : { offset: this.start + nl + 1, text: text.slice(nl + 1) };
  }
}
