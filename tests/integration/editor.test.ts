// The editor's file API and build on a real sandbox: save and read back, conflicts instead of silent overwrites,
// every way out of the workspace refused (the server's checks and, after symlinks, the sandbox's), binary and
// oversized files refused, a real clang error mapped to its line and column, a real verifier refusal, reset, and
// the reference solution only once revealed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_SIZE_LIMIT } from '@/lib/labs/workspace-paths';
import { EditorService } from '@/lib/editor/service';
import { LabCatalog } from '@/lib/labs/catalog';
import type { Lab } from '@/lib/labs/schema';
import type { DockerSandboxDriver } from '@/lib/sandbox/docker-driver';
import type { Sandbox } from '@/lib/sandbox/types';
import { runLabSetup } from '@/lib/labs/setup';
import { testDriver, type Tracker } from '../helpers/sandbox';

let driver: DockerSandboxDriver;
let track: Tracker;
let sandbox: Sandbox;
let lab: Lab;
let editor: EditorService;

const sh = async (script: string) => {
  const r = await driver.exec(sandbox.id, ['/opt/ebpf-labs/bin/lab-exec'], { stdin: script, timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
};
const starter = (path: string) => lab.workspaceFiles.find((f) => f.path === path)!.content.toString('utf8');

beforeAll(async () => {
  ({ driver, track } = await testDriver());
  lab = (await new LabCatalog('labs', true).get('proxy-acceleration'))!;
  sandbox = await track.create({ lab: lab.slug });
  await runLabSetup(driver, sandbox.id, lab);
  editor = new EditorService(driver);
});
afterAll(() => track.cleanup());

describe('editor files', () => {
  it('lists the lab\'s editor files with their versions, and reads the starter', async () => {
    const files = await editor.list(sandbox.id, lab);
    expect(files.map((f) => [f.path, f.exists])).toEqual([
      ['sockops.bpf.c', true],
      ['redirect.bpf.c', true],
      ['accel.h', true],
      ['Makefile', true],
    ]);
    const f = await editor.read(sandbox.id, lab, 'sockops.bpf.c');
    expect(f.content).toBe(starter('sockops.bpf.c'));
    expect(f.sha256).toBe(files[0]!.sha256);
  });

  it('saves and reads back, refusing to overwrite a version changed in the sandbox', async () => {
    const before = await editor.read(sandbox.id, lab, 'redirect.bpf.c');
    const mine = `${before.content}// saved from the editor\n`;
    const saved = await editor.write(sandbox.id, lab, 'redirect.bpf.c', mine, before.sha256);
    expect(await sh('tail -n 1 /root/lab/redirect.bpf.c')).toBe('// saved from the editor');
    expect((await editor.read(sandbox.id, lab, 'redirect.bpf.c')).sha256).toBe(saved.sha256);

    // Changed from the terminal: the list shows the new version, and a save based on the old one is refused.
    await sh('echo "// from the terminal" >> /root/lab/redirect.bpf.c');
    const listed = (await editor.list(sandbox.id, lab)).find((f) => f.path === 'redirect.bpf.c')!;
    expect(listed.sha256).not.toBe(saved.sha256);
    await expect(editor.write(sandbox.id, lab, 'redirect.bpf.c', 'lost?\n', saved.sha256)).rejects.toMatchObject({ code: 'file_conflict', status: 409 });
    expect(await sh('tail -n 1 /root/lab/redirect.bpf.c')).toBe('// from the terminal');
    // Overwriting is an explicit choice.
    await editor.write(sandbox.id, lab, 'redirect.bpf.c', mine, 'any');
    expect(await sh('tail -n 1 /root/lab/redirect.bpf.c')).toBe('// saved from the editor');
  });

  it('refuses every way out of the workspace, and leaves the target untouched', async () => {
    await sh('ln -sfn /etc/passwd /root/lab/evil && ln -sfn /etc /root/lab/etcdir && ln -sfn ../../etc /root/lab/up');
    const passwd = await sh('sha256sum /etc/passwd');
    const refused: [string, string][] = [
      ['../../etc/passwd', 'bad_path'],
      ['/etc/passwd', 'bad_path'],
      ['sub/../../etc/passwd', 'bad_path'],
      ['..', 'bad_path'],
      ['./../x', 'bad_path'],
      ['a\\..\\..\\etc', 'bad_path'],
      ['evil', 'path_outside'], // a symlink in the workspace pointing out of it
      ['etcdir/passwd', 'path_outside'], // through a symlinked directory
      ['up/passwd', 'path_outside'],
    ];
    for (const [path, code] of refused) {
      await expect(editor.read(sandbox.id, lab, path), path).rejects.toMatchObject({ code });
      await expect(editor.write(sandbox.id, lab, path, 'owned\n', 'any'), path).rejects.toMatchObject({ code });
    }
    expect(await sh('sha256sum /etc/passwd')).toBe(passwd);
    expect(await sh('test -L /root/lab/evil && echo still-a-link')).toBe('still-a-link');
  });

  it('refuses binary, oversized, missing and non-regular files with errors that say so', async () => {
    await sh('cd /root/lab && make -s sockops.bpf.o && mkdir -p adir');
    await expect(editor.read(sandbox.id, lab, 'sockops.bpf.o')).rejects.toMatchObject({ code: 'binary_file', status: 415 });
    await expect(editor.write(sandbox.id, lab, 'big.c', 'x'.repeat(FILE_SIZE_LIMIT + 1), 'any')).rejects.toMatchObject({ code: 'file_too_large' });
    await expect(editor.write(sandbox.id, lab, 'nul.c', 'a\0b', 'any')).rejects.toMatchObject({ code: 'binary_file' });
    await expect(editor.read(sandbox.id, lab, 'nothing.c')).rejects.toMatchObject({ code: 'file_not_found', status: 404 });
    await expect(editor.read(sandbox.id, lab, 'adir')).rejects.toMatchObject({ code: 'not_a_file' });
    await expect(sh('ls /root/lab/big.c /root/lab/nul.c 2>/dev/null || echo none')).resolves.toBe('none');
  });
});

describe('build, load, reset, compare', () => {
  it('maps a real clang error to the line and column it is on', async () => {
    const lines = starter('sockops.bpf.c').split('\n');
    const at = lines.findIndex((l) => l.includes('TODO 4')) + 1; // 0-based index + 1 = the line after the TODO
    lines.splice(at, 0, '\tint broken = ;');
    const f = await editor.read(sandbox.id, lab, 'sockops.bpf.c');
    await editor.write(sandbox.id, lab, 'sockops.bpf.c', lines.join('\n'), f.sha256);
    const r = await editor.build(sandbox.id, lab);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/expected expression/);
    expect(r.diagnostics.find((d) => d.severity === 'error')).toEqual({
      path: 'sockops.bpf.c', line: at + 1, column: 15, severity: 'error', message: 'expected expression', inWorkspace: true,
    });
  });

  it('resets a file to its starter version, and builds clean again', async () => {
    const f = await editor.reset(sandbox.id, lab, 'sockops.bpf.c');
    expect(f.content).toBe(starter('sockops.bpf.c'));
    const r = await editor.build(sandbox.id, lab);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // A file whose starter lives in the image (accel.h) resets from there.
    await sh('echo "// mine" >> /root/lab/accel.h');
    expect((await editor.reset(sandbox.id, lab, 'accel.h')).content).toBe(await sh('cat /opt/ebpf-labs/bpf/accel/accel.h').then((s) => `${s}\n`));
  });

  it('shows the verifier\'s reason and source line when the kernel refuses a program', async () => {
    await sh(`cp /opt/ebpf-labs/bpf/accel/sockops.bpf.c /opt/ebpf-labs/bpf/accel/redirect.bpf.c /root/lab/
      sed -i '/^int accel_sockops/,/^{/ s/^{/{\\n\\tCTX(skops->family) = 7;/' /root/lab/sockops.bpf.c`);
    const line = Number(await sh("grep -n 'CTX(skops->family) = 7' /root/lab/sockops.bpf.c | cut -d: -f1"));
    const r = await editor.load(sandbox.id, lab);
    expect(r.ok).toBe(false);
    expect(r.verifier.reason).toMatch(/invalid bpf_context access/);
    expect(r.verifier.at).toEqual({ path: 'sockops.bpf.c', line, inWorkspace: true });
    expect(r.verifier.log).toMatch(/processed \d+ insns/);
    await sh('accelctl off >/dev/null');
  });

  it('gives the reference solution only once that step\'s solution was revealed', async () => {
    await expect(editor.solution(sandbox.id, lab, 'sockops.bpf.c', () => false)).rejects.toMatchObject({ code: 'solution_hidden', status: 403, message: expect.stringMatching(/step 3/) });
    const s = await editor.solution(sandbox.id, lab, 'sockops.bpf.c', (step) => step === '03-sockops');
    expect(s.content).toMatch(/BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB/);
    await expect(editor.solution(sandbox.id, lab, 'accel.h', () => true)).rejects.toMatchObject({ code: 'no_solution' });
  });
});
