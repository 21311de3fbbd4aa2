// Screen mirrors on the calling thread: for unit tests and the benchmark, which measure a mirror's own cost.
// The server runs them in a worker (mirror-host.ts).
import type { MirrorFactory } from './mirror-host';
import { ScreenMirror } from './screen-mirror';

export function localMirrors(): MirrorFactory & { readonly mirrors: ReadonlySet<ScreenMirror> } {
  const mirrors = new Set<ScreenMirror>();
  return {
    mirrors,
    create(cols, rows, events) {
      const mirror = new ScreenMirror(cols, rows);
      mirrors.add(mirror);
      return {
        write: (text) => mirror.write(text, () => events.parsed(text.length)),
        resize: (c, r) => mirror.resize(c, r),
        snapshot: () => mirror.snapshot(),
        dispose() {
          mirrors.delete(mirror);
          mirror.dispose();
        },
      };
    },
    close() {
      for (const m of mirrors) m.dispose();
      mirrors.clear();
    },
  };
}
