import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { packFiles, readSingleFile, resolveInside } from './archive';

describe('resolveInside', () => {
  it('resolves relative paths inside the directory', () => {
    expect(resolveInside('/root/lab', 'src/a.c')).toBe('/root/lab/src/a.c');
    expect(resolveInside('/root/lab', './a/../b.c')).toBe('/root/lab/b.c');
    expect(resolveInside('/root/lab', '/root/lab/x')).toBe('/root/lab/x');
  });
  it('refuses paths that leave it, with a hint', () => {
    expect(() => resolveInside('/root/lab', '../../etc/passwd')).toThrow(/outside \/root\/lab/);
    expect(() => resolveInside('/root/lab', '/etc/passwd')).toThrow(/outside/);
    expect(() => resolveInside('/root/lab', '/root/lab2/x')).toThrow(/outside/);
    expect(() => resolveInside('/root/lab', '')).toThrow(/outside/);
    expect(() => resolveInside('/root/lab', 'a\0b')).toThrow(/outside/);
  });
  it('needs an absolute directory', () => {
    expect(() => resolveInside('root', 'a')).toThrow(/absolute/);
  });
});

describe('archives', () => {
  it('packs files with their modes under the target directory', async () => {
    const buf = await packFiles('/root/lab', [
      { path: 'run.sh', content: '#!/bin/sh\n', mode: 0o755 },
      { path: 'd/x.txt', content: Buffer.from('x') },
    ]);
    const extract = tar.extract();
    Readable.from(buf).pipe(extract);
    const seen: [string, number | undefined][] = [];
    for await (const e of extract) {
      seen.push([e.header.name, e.header.mode]);
      e.resume();
    }
    expect(seen).toEqual([
      ['root/lab/run.sh', 0o755],
      ['root/lab/d/x.txt', 0o644],
    ]);
  });

  it('packs files larger together than the pack stream buffers before it is read (a lab\'s starter files)', async () => {
    const big = Buffer.alloc(40 * 1024, 'x');
    const buf = await packFiles('/root/lab', [
      { path: 'a.c', content: big },
      { path: 'b.c', content: big },
    ]);
    expect(buf.length).toBeGreaterThan(2 * big.length);
  });

  it('reads back the single file of an archive', async () => {
    const pack = tar.pack();
    pack.entry({ name: 'hello.txt' }, 'hello');
    pack.finalize();
    expect((await readSingleFile(pack as unknown as Readable, '/x/hello.txt')).toString()).toBe('hello');
  });

  it('says so when the path is a directory', async () => {
    const pack = tar.pack();
    pack.entry({ name: 'dir/', type: 'directory' });
    pack.finalize();
    await expect(readSingleFile(pack as unknown as Readable, '/dir')).rejects.toThrow(/not a regular file/);
  });
});
