// The sandbox driver on the real Docker engine: create, exec, files, eBPF inside, and a destroy that leaves nothing.
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@/lib/config';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import { connectSandboxEngine, type EngineInfo } from '@/lib/sandbox/engine';
import { LABEL, type Sandbox } from '@/lib/sandbox/types';
import { TEST_INSTANCE, testDriver, waitFor, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let docker: Docker;
let engine: EngineInfo;
let track: Tracker;

beforeAll(async () => {
  ({ driver, docker, engine, track } = await testDriver());
});
afterAll(() => track.cleanup());

describe('a sandbox', () => {
  it('is created prepared: labels, no network, bpffs, its own cgroup, preflight passed', async () => {
    const s = await track.create({ owner: 'learner-1', lab: 'tour' });
    expect(s.preflight).toMatchObject({ ok: true, missing: [], cgroupMode: engine.cgroupVersion });
    expect(s.owner).toBe('learner-1');
    expect(s.lab).toBe('tour');
    if (engine.cgroupVersion === 'v1') expect(s.preflight.cgroup).toMatch(new RegExp(`/${s.id}$`));

    const r = await driver.exec(s.id, ['bash', '-lc', 'ip -o link | wc -l; mount | grep -c "type bpf"; echo $LAB_CGROUP; cat /proc/1/cmdline | tr "\\0" " "']);
    const [links, bpffs, cgroup, init] = r.stdout.trim().split('\n');
    expect(links).toBe('1'); // only lo: NetworkMode none
    expect(Number(bpffs)).toBeGreaterThanOrEqual(1);
    expect(cgroup).toBe(s.preflight.cgroup);
    expect(init).toMatch(/docker-init/); // an init reaps what commands leave behind

    const listed = await driver.list({ owner: 'learner-1', lab: 'tour' });
    expect(listed.map((x) => x.id)).toEqual([s.id]);
  });

  it('runs commands: exit code, stdout and stderr apart, stdin', async () => {
    const s = await track.create();
    const r = await driver.exec(s.id, ['bash', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    const cat = await driver.exec(s.id, ['sha256sum'], { stdin: 'abc' });
    expect(cat.stdout).toMatch(/^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad/);
    const env = await driver.exec(s.id, ['sh', '-c', 'echo $FOO; pwd'], { env: { FOO: 'bar' }, workdir: '/tmp' });
    expect(env.stdout).toBe('bar\n/tmp\n');
  });

  it('kills a command that runs past its timeout, with everything it started, and says so', async () => {
    const s = await track.create();
    const r = await driver.exec(s.id, ['bash', '-c', 'sleep 300 & sleep 301; echo never'], { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).not.toMatch(/never/);
    expect(r.durationMs).toBeLessThan(5000);
    const ps = await driver.exec(s.id, ['ps', '-eo', 'args']);
    expect(ps.stdout).not.toMatch(/sleep 30[01]/);
  });

  it('copies files in and out, and refuses paths outside the target directory', async () => {
    const s = await track.create();
    await driver.copyIn(s.id, '/root/work', [
      { path: 'src/hello.c', content: 'int main(void) { return 0; }\n' },
      { path: 'run.sh', content: '#!/bin/sh\necho ran\n', mode: 0o755 },
    ]);
    expect((await driver.exec(s.id, ['/root/work/run.sh'])).stdout).toBe('ran\n');
    expect((await driver.copyOut(s.id, '/root/work/src/hello.c')).toString()).toMatch(/int main/);
    await expect(driver.copyIn(s.id, '/root/work', [{ path: '../../etc/evil', content: 'x' }])).rejects.toThrow(/outside/);
    await expect(driver.copyOut(s.id, '/root/work/missing')).rejects.toThrow(/does not exist/);
    await expect(driver.copyOut(s.id, '/root/work/src')).rejects.toThrow(/not a regular file/);
  });

  it('compiles, loads and attaches sock_ops + sk_msg, and leaves nothing behind when destroyed', async () => {
    const s = await track.create();
    const source = readFileSync(path.join(import.meta.dirname, '../fixtures/bpf/pair.bpf.c'), 'utf8');
    await driver.copyIn(s.id, '/root/work', [{ path: 'pair.bpf.c', content: source }]);
    const script = `
      set -e
      cd /root/work
      clang -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -c pair.bpf.c -o pair.bpf.o
      bpftool prog loadall pair.bpf.o /sys/fs/bpf/pair pinmaps /sys/fs/bpf/pair_maps
      bpftool cgroup attach $LAB_CGROUP sock_ops pinned /sys/fs/bpf/pair/pair_sockops
      bpftool prog attach pinned /sys/fs/bpf/pair/pair_msg msg_verdict pinned /sys/fs/bpf/pair_maps/pair_hash
      bpftool -j cgroup show $LAB_CGROUP
      echo
      bpftool -j prog show pinned /sys/fs/bpf/pair/pair_sockops | jq .id
      bpftool -j prog show pinned /sys/fs/bpf/pair/pair_msg | jq .id
    `;
    const r = await driver.exec(s.id, ['bash', '-lc', script], { timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.exitCode).toBe(0);
    const [attached, sockopsId, msgId] = r.stdout.trim().split('\n');
    expect(JSON.parse(attached!)).toEqual([expect.objectContaining({ attach_type: expect.stringMatching(/sock_ops/), name: 'pair_sockops' })]);
    const progIds = [Number(sockopsId), Number(msgId)];

    const report = await driver.destroy(s.id);
    expect(report.problems).toEqual([]);
    expect(report.cleaned.join('\n')).toMatch(/detached (cgroup_)?sock_ops program/);
    expect(await driver.inspect(s.id)).toBeUndefined();

    // eBPF is not namespaced: any other sandbox sees every program on the machine, and (on cgroup v1 hosts) the
    // shared cgroup v2 hierarchy. Look from one.
    const observer = await track.create();
    await waitFor(async () => {
      const shown = await driver.exec(observer.id, ['bash', '-c', 'bpftool -j prog show | jq "[.[].id]"']);
      const live: number[] = JSON.parse(shown.stdout);
      return progIds.every((id) => !live.includes(id));
    }, 10_000);
    if (engine.cgroupVersion === 'v1') {
      const root = path.posix.dirname(s.preflight.cgroup);
      const ls = await driver.exec(observer.id, ['bash', '-c', `test -d ${root}/${s.id} && echo exists || echo gone`]);
      expect(ls.stdout.trim()).toBe('gone');
    }
  });

  it('is removed by destroy even when it was stopped, with its cgroup', async () => {
    const s = await track.create();
    await docker.getContainer(s.id).stop({ t: 0 });
    const report = await driver.destroy(s.id);
    expect(report.problems).toEqual([]);
    expect(await driver.inspect(s.id)).toBeUndefined();
    if (engine.cgroupVersion === 'v1') {
      const observer = await track.create();
      const ls = await driver.exec(observer.id, ['bash', '-c', `test -d ${s.preflight.cgroup} && echo exists || echo gone`]);
      expect(ls.stdout.trim()).toBe('gone');
    }
  });

  /** Looks from another sandbox (eBPF is not namespaced): none of these programs or maps, and no cgroup left. */
  async function leftovers(gone: Sandbox, progIds: number[], mapIds: number[]): Promise<string[]> {
    const observer = await track.create();
    const seen: string[] = [];
    const r = await driver.exec(observer.id, ['bash', '-c', 'bpftool -j prog show | jq -c "[.[].id]"; bpftool -j map show | jq -c "[.[].id]"']);
    const [progs, maps] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as number[]);
    seen.push(...progIds.filter((id) => progs!.includes(id)).map((id) => `program ${id}`));
    seen.push(...mapIds.filter((id) => maps!.includes(id)).map((id) => `map ${id}`));
    if (engine.cgroupVersion === 'v1') {
      const ls = await driver.exec(observer.id, ['bash', '-c', `test -d ${gone.preflight.cgroup} && echo exists || echo gone`]);
      if (ls.stdout.trim() !== 'gone') seen.push(`cgroup ${gone.preflight.cgroup}`);
    }
    await driver.destroy(observer.id);
    return seen;
  }

  /** A pinned map, and a program pinned and attached to a sub-cgroup: what could outlive the sandbox. */
  async function pinAndAttach(s: Sandbox): Promise<{ progIds: number[]; mapIds: number[] }> {
    const r = await driver.exec(s.id, ['bash', '-lc', `set -e
      mkdir -p $LAB_CGROUP/pod
      bpftool map create /sys/fs/bpf/left_map type array key 4 value 8 entries 1 name left_map
      bpftool prog load /opt/ebpf-labs/bpf/preflight/preflight.bpf.o /sys/fs/bpf/left_prog type sockops
      bpftool cgroup attach $LAB_CGROUP/pod sock_ops pinned /sys/fs/bpf/left_prog
      bpftool -j map show pinned /sys/fs/bpf/left_map | jq .id
      bpftool -j prog show pinned /sys/fs/bpf/left_prog | jq .id`], { timeoutMs: 30_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const [mapId, progId] = r.stdout.trim().split('\n').map(Number);
    return { progIds: [progId!], mapIds: [mapId!] };
  }

  it('is removed by destroy after a fork bomb took every process slot: no container, cgroup, program or pin left', async () => {
    const s = await track.create();
    const objects = await pinAndAttach(s);
    // Bounded by the sandbox's pids limit (512); detached, so this exec returns.
    await driver.exec(s.id, ['bash', '-c', "setsid bash -c 'b() { b | b & }; b' >/dev/null 2>&1 </dev/null &"], { timeoutMs: 5000 });
    // Until the sandbox cannot start a process of its own: an exec fails.
    await waitFor(async () => (await driver.exec(s.id, ['true'], { timeoutMs: 2000 }).catch(() => undefined))?.exitCode !== 0, 30_000, 200);

    const report = await driver.destroy(s.id);
    expect(report.problems).toEqual([]);
    expect(report.cleaned.join('\n')).toMatch(/killed every process from the host[\s\S]*removed cgroup/);
    expect(await driver.inspect(s.id)).toBeUndefined();
    expect(await leftovers(s, objects.progIds, objects.mapIds)).toEqual([]);
  });

  it('is removed by destroy with processes frozen in its cgroups', async () => {
    const s = await track.create();
    const objects = await pinAndAttach(s);
    const freeze = await driver.exec(s.id, ['bash', '-lc', `set -e
      setsid sleep 1001 </dev/null >/dev/null 2>&1 &
      echo $! > $LAB_CGROUP/pod/cgroup.procs
      echo 1 > $LAB_CGROUP/pod/cgroup.freeze
      for _ in $(seq 50); do grep -q 'frozen 1' $LAB_CGROUP/pod/cgroup.events && { echo frozen; exit 0; }; sleep 0.1; done`], { timeoutMs: 10_000 });
    expect(freeze.stdout.trim()).toBe('frozen');
    const report = await driver.destroy(s.id);
    expect(report.problems).toEqual([]);
    expect(await driver.inspect(s.id)).toBeUndefined();
    expect(await leftovers(s, objects.progIds, objects.mapIds)).toEqual([]);
  });
});

describe("a sandbox's kernel", () => {
  it('is reported shared with the host on the default runtime, and learned again by a driver that did not create it', async () => {
    const s = await track.create();
    expect(s.preflight.bootId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(s.kernel).toBe('shared');
    expect((await driver.list({ owner: s.owner })).find((x) => x.id === s.id)?.kernel).toBe('shared');
    // A restarted server: a new driver knows nothing yet, and learns it from the sandbox's boot id.
    const { driver: fresh } = await testDriver();
    expect((await fresh.list()).find((x) => x.id === s.id)?.kernel).toBeUndefined();
    expect((await fresh.inspect(s.id))?.kernel).toBe('shared');
    expect((await fresh.list()).find((x) => x.id === s.id)?.kernel).toBe('shared');
  });

  it('asks the engine for the configured runtime, and says what to do when it does not know it', async () => {
    const config = loadConfig({ ...process.env, EBPF_LABS_INSTANCE: TEST_INSTANCE, SANDBOX_RUNTIME: 'no-such-runtime' });
    const { driver: kata } = await connectSandboxEngine(config);
    await expect(kata.create({ owner: 'test', lab: 'test', purpose: 'test' })).rejects.toMatchObject({
      code: 'sandbox_runtime_unknown',
      message: expect.stringMatching(/no container runtime "no-such-runtime" \(SANDBOX_RUNTIME\)/),
      hint: expect.stringMatching(/unset SANDBOX_RUNTIME/),
    });
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.runtime}=no-such-runtime`] } });
    expect(left).toEqual([]);
  });
});
