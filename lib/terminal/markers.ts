// Invisible markers in terminal output. The sandbox's shell prints one after every command (OSC 6973, see
// sandbox/rootfs/etc/profile.d/ebpf-labs.sh); the server removes it from the output and raises an event instead.
// A marker may arrive split across two reads: the filter holds back a possible beginning until it is complete.

export const MARKER_PREFIX = '\x1b]6973;';
const TERMINATORS = ['\x07', '\x1b\\'];
/** A marker longer than this is not ours: pass it through rather than hold output back. */
const MAX_MARKER_CHARS = 256;

export interface Marker {
  name: string;
  args: string[];
}

export class MarkerFilter {
  private held = '';

  /** Returns the output without complete markers, and the markers found, in order. */
  feed(chunk: string): { text: string; markers: Marker[] } {
    let input = this.held + chunk;
    this.held = '';
    let text = '';
    const markers: Marker[] = [];
    for (;;) {
      const at = input.indexOf(MARKER_PREFIX);
      if (at < 0) {
        // Hold back a tail that could be the start of a marker.
        const keep = partialPrefixLength(input);
        text += input.slice(0, input.length - keep);
        this.held = input.slice(input.length - keep);
        break;
      }
      text += input.slice(0, at);
      const rest = input.slice(at + MARKER_PREFIX.length);
      const end = firstTerminator(rest);
      if (!end) {
        if (rest.length > MAX_MARKER_CHARS) {
          text += input.slice(at, at + MARKER_PREFIX.length);
          input = rest;
          continue;
        }
        this.held = input.slice(at);
        break;
      }
      const [name = '', ...args] = rest.slice(0, end.index).split(';');
      markers.push({ name, args });
      input = rest.slice(end.index + end.length);
    }
    return { text, markers };
  }
}

function firstTerminator(s: string): { index: number; length: number } | undefined {
  let best: { index: number; length: number } | undefined;
  for (const t of TERMINATORS) {
    const i = s.indexOf(t);
    if (i >= 0 && (!best || i < best.index)) best = { index: i, length: t.length };
  }
  return best;
}

function partialPrefixLength(s: string): number {
  for (let n = Math.min(MARKER_PREFIX.length - 1, s.length); n > 0; n--) {
    if (MARKER_PREFIX.startsWith(s.slice(s.length - n))) return n;
  }
  return 0;
}
