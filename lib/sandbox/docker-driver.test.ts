import { describe, expect, it } from 'vitest';
import { containerSpec, DockerSandboxDriver, isTimeoutExit, newSandboxId, withTimeout, type DockerDriverOptions } from './docker-driver';
import { LABEL } from './types';

const opts = {
  docker: {} as DockerDriverOptions['docker'],
  image: 'ebpf-labs/sandbox:latest',
  instance: 'ci',
  limits: { memoryBytes: 1024 ** 3, pids: 512, cpus: 1 },
  privileged: false,
  cgroupMode: 'v1' as const,
};

describe('containerSpec', () => {
  const spec = containerSpec(opts, 'ebpf-labs-abc', { owner: 'l1', lab: 'tour' }, new Date('2026-01-02T03:04:05Z'));

  it('runs without network, with explicit capabilities instead of --privileged', () => {
    expect(spec.HostConfig.NetworkMode).toBe('none');
    expect(spec.HostConfig.Privileged).toBe(false);
    expect(spec.HostConfig.CapAdd).toEqual(['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE']);
    expect(spec.HostConfig.SecurityOpt).toEqual(['seccomp=unconfined', 'apparmor=unconfined']);
  });
  it('limits memory (no swap), pids and CPU, and reaps zombies with an init', () => {
    expect(spec.HostConfig.Memory).toBe(1024 ** 3);
    expect(spec.HostConfig.MemorySwap).toBe(1024 ** 3);
    expect(spec.HostConfig.PidsLimit).toBe(512);
    expect(spec.HostConfig.NanoCpus).toBe(1e9);
    expect(spec.HostConfig.Init).toBe(true);
  });
  it('labels owner, lab, instance and creation time', () => {
    expect(spec.Labels).toMatchObject({
      [LABEL.sandbox]: '1',
      [LABEL.instance]: 'ci',
      [LABEL.owner]: 'l1',
      [LABEL.lab]: 'tour',
      [LABEL.purpose]: 'learner',
      [LABEL.createdAt]: '2026-01-02T03:04:05.000Z',
    });
  });
  it('uses a private cgroup namespace only on cgroup v2 hosts', () => {
    expect('CgroupnsMode' in spec.HostConfig).toBe(false);
    const v2 = containerSpec({ ...opts, cgroupMode: 'v2' }, 'x', { owner: 'a', lab: 'b' });
    expect(v2.HostConfig).toMatchObject({ CgroupnsMode: 'private' });
  });
  it('takes per-sandbox limits over the defaults', () => {
    const s = containerSpec(opts, 'x', { owner: 'a', lab: 'b', limits: { cpus: 2 } });
    expect(s.HostConfig.NanoCpus).toBe(2e9);
    expect(s.HostConfig.PidsLimit).toBe(512);
  });
  it("runs on the engine's default runtime unless one is configured, and records which in a label", () => {
    expect('Runtime' in spec.HostConfig).toBe(false);
    expect(spec.Labels[LABEL.runtime]).toBe('');
    const kata = containerSpec({ ...opts, runtime: 'kata-qemu' }, 'x', { owner: 'a', lab: 'b' });
    expect(kata.HostConfig).toMatchObject({ Runtime: 'kata-qemu', NetworkMode: 'none', CapAdd: ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE'] });
    expect(kata.Labels[LABEL.runtime]).toBe('kata-qemu');
  });
  it('sets --privileged only when opted in, and then adds no capabilities', () => {
    const p = containerSpec({ ...opts, privileged: true }, 'x', { owner: 'a', lab: 'b' });
    expect(p.HostConfig.Privileged).toBe(true);
    expect(p.HostConfig.CapAdd).toEqual([]);
  });
});

describe('create', () => {
  /** The engine's answer to a runtime it does not know, as dockerode reports it. */
  const unknownRuntime = (name: string) =>
    Object.assign(new Error(`(HTTP code 400) unexpected - Unknown runtime specified ${name} `), {
      statusCode: 400,
      json: { message: `Unknown runtime specified ${name}` },
    });
  const refusing = (err: Error) => ({ createContainer: async () => Promise.reject(err) }) as unknown as DockerDriverOptions['docker'];

  it('turns an unknown runtime into an error that names the setting and says what to do', async () => {
    const driver = new DockerSandboxDriver({ ...opts, runtime: 'kata-qemu', docker: refusing(unknownRuntime('kata-qemu')) });
    await expect(driver.create({ owner: 'a', lab: 'b' })).rejects.toMatchObject({
      code: 'sandbox_runtime_unknown',
      status: 503,
      message: 'The Docker engine has no container runtime "kata-qemu" (SANDBOX_RUNTIME).',
      hint: expect.stringMatching(/daemon\.json "runtimes".*docker info.*unset SANDBOX_RUNTIME/),
    });
  });
  it('says the image is missing when the engine does not have it', async () => {
    const missing = Object.assign(new Error('(HTTP code 404) no such image'), { statusCode: 404 });
    await expect(new DockerSandboxDriver({ ...opts, docker: refusing(missing) }).create({ owner: 'a', lab: 'b' })).rejects.toMatchObject({
      code: 'image_missing',
    });
  });
});

describe('exec timeouts', () => {
  it('wraps the command in timeout(1) with a kill-after', () => {
    expect(withTimeout(['sleep', '5'], 1500)).toEqual(['timeout', '--kill-after=1', '1.500s', 'sleep', '5']);
    expect(withTimeout(['true'])).toEqual(['true']);
  });
  it('treats 124/137 as a timeout only when the time was used up', () => {
    expect(isTimeoutExit(124, 1600, 1500)).toBe(true);
    expect(isTimeoutExit(137, 2600, 1500)).toBe(true);
    expect(isTimeoutExit(124, 20, 1500)).toBe(false);
    expect(isTimeoutExit(0, 5000, 1500)).toBe(false);
    expect(isTimeoutExit(124, 5000, undefined)).toBe(false);
  });
});

it('makes container-name-safe ids', () => {
  const id = newSandboxId();
  expect(id).toMatch(/^ebpf-labs-[0-9a-f]{12}$/);
  expect(newSandboxId()).not.toBe(id);
});
