// The preflight, in a container that lacks what the labs need: it must say exactly what is missing.
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import { connectDocker } from '@/lib/sandbox/engine';

const config = loadConfig();
const docker = connectDocker(config.docker);
const created: string[] = [];
afterAll(() => Promise.all(created.map((id) => docker.getContainer(id).remove({ force: true }))));

it('reports each missing feature of a sandbox started without the capabilities it needs', async () => {
  const c = await docker.createContainer({
    Image: config.sandbox.image,
    Cmd: ['sleep', 'infinity'],
    Labels: { 'io.ebpf-labs.instance': 'test' },
    HostConfig: { NetworkMode: 'none', Init: true }, // Docker's default capabilities: no SYS_ADMIN
  });
  created.push(c.id);
  await c.start();
  const exec = await c.exec({ Cmd: ['/opt/ebpf-labs/bin/sandbox-prepare', 'ebpf-labs-nocaps', 'v1'], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise((r) => stream.on('data', (b: Buffer) => chunks.push(b)).on('end', r));
  const out = Buffer.concat(chunks).toString();
  const result = JSON.parse(out.slice(out.lastIndexOf('{"ok"')).split('\n')[0]!);
  expect(result.ok).toBe(false);
  expect(result.missing.join('\n')).toMatch(/bpffs: cannot mount a BPF filesystem/);
  expect(result.missing.join('\n')).toMatch(/cgroup2: cannot mount/);
  expect(result.missing.join('\n')).toMatch(/sockhash: cannot create/);
});
