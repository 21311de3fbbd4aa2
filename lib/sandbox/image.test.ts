import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash, listInputFiles, splitTag } from './image';

function tree(files: Record<string, string>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'img-'));
  for (const [f, c] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), c);
  }
  return root;
}

describe('image inputs', () => {
  it('lists sandbox, bpf and envoy files, skipping build outputs and labs (the image holds no lab file)', async () => {
    const root = tree({
      'sandbox/Dockerfile': 'FROM x',
      'bpf/a.bpf.c': 'int x;',
      'bpf/a.bpf.o': 'ELF',
      'labs/t/lab.yaml': 'title: t',
      'app/page.tsx': 'ignored',
    });
    expect(await listInputFiles(root)).toEqual(['bpf/a.bpf.c', 'sandbox/Dockerfile']);
  });

  it('changes the hash when a content, a name or an executable bit changes, and only then', async () => {
    const root = tree({ 'sandbox/Dockerfile': 'FROM x', 'bpf/run.sh': 'echo' });
    const files = await listInputFiles(root);
    const h1 = await contentHash(root, files);
    expect(await contentHash(root, files)).toBe(h1);
    chmodSync(path.join(root, 'bpf/run.sh'), 0o755);
    const h2 = await contentHash(root, files);
    expect(h2).not.toBe(h1);
    writeFileSync(path.join(root, 'bpf/run.sh'), 'echo hi');
    expect(await contentHash(root, files)).not.toBe(h2);
    writeFileSync(path.join(root, 'bpf/new.h'), '');
    expect(await contentHash(root, await listInputFiles(root))).not.toBe(await contentHash(root, files));
  });
});

it('splits image names at the tag, not at a registry port', () => {
  expect(splitTag('debian:bookworm-slim')).toEqual(['debian', 'bookworm-slim']);
  expect(splitTag('localhost:5000/x')).toEqual(['localhost:5000/x', undefined]);
  expect(splitTag('localhost:5000/x:1')).toEqual(['localhost:5000/x', '1']);
});
