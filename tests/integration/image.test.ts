// The image builder on the real engine, with tiny throw-away Dockerfiles: cached by content hash, and a failed
// build names the failing step and shows its output.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { isAppError } from '@/lib/errors';
import { connectDocker } from '@/lib/sandbox/engine';
import { ensureSandboxImage } from '@/lib/sandbox/image';

const config = loadConfig();
const docker = connectDocker(config.docker);
const TAG = 'ebpf-labs/test-image:ci';

function project(dockerfile: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'image-test-'));
  mkdirSync(path.join(root, 'sandbox'));
  writeFileSync(path.join(root, 'sandbox/Dockerfile'), dockerfile);
  return root;
}

// The real base image (built by the set-up) keeps these builds offline and fast.
const base = config.sandbox.baseImage;
const build = (root: string, lines: string[]) =>
  ensureSandboxImage({ docker, root, image: TAG, baseImage: base, envoyImage: 'ebpf-labs/none:0', print: (l) => lines.push(l) });

describe('ensureSandboxImage', () => {
  beforeAll(async () => {
    await docker.getImage(base).inspect(); // set-up built it
  });
  afterAll(async () => {
    await docker.getImage(TAG).remove({ force: true }).catch(() => undefined);
  });

  it('builds once, then reports the image up to date until an input changes', async () => {
    const root = project(`ARG BASE_IMAGE\nARG ENVOY_IMAGE\nARG PROXY_KIND\nARG CONTENT_HASH\nFROM ${base}\nARG PROXY_KIND\nARG CONTENT_HASH\nLABEL io.ebpf-labs.proxy=$PROXY_KIND io.ebpf-labs.content-hash=$CONTENT_HASH\n`);
    const lines: string[] = [];
    const first = await build(root, lines);
    expect(first).toMatchObject({ built: true, proxy: 'haproxy' });
    expect(lines.join('\n')).toMatch(/Step 1\/\d+ :/);
    expect(lines.join('\n')).toMatch(/HAProxy will stand in/);

    const second = await build(root, []);
    expect(second).toMatchObject({ built: false, contentHash: first.contentHash });

    const firstId = (await docker.getImage(TAG).inspect()).Id;
    mkdirSync(path.join(root, 'bpf'));
    writeFileSync(path.join(root, 'bpf/new.bpf.c'), '// changed\n');
    const third = await build(root, []);
    expect(third.built).toBe(true);
    expect(third.contentHash).not.toBe(first.contentHash);
    // The image the rebuild replaced is not left behind untagged.
    await expect(docker.getImage(firstId).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('names the failing step and shows its output', async () => {
    const root = project(`FROM ${base}\nRUN echo preparing\nRUN echo about to fail >&2 && exit 3\n`);
    try {
      await build(root, []);
      expect.unreachable('the build should fail');
    } catch (err) {
      expect(isAppError(err)).toBe(true);
      const e = err as import('@/lib/errors').AppError;
      expect(e.code).toBe('image_build_failed');
      expect(e.message).toMatch(/failed at: Step 3\/3 : RUN echo about to fail/);
      expect(e.options.details?.join('\n')).toMatch(/about to fail/);
      expect(e.options.details?.join('\n')).toMatch(/returned a non-zero code: 3/);
    }
  });
});
