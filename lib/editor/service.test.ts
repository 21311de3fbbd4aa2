// The editor's file operations when lab-file (a program in the learner's sandbox) answers garbage or too much.
import { describe, expect, it } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { testLab } from '@/tests/doubles/lab';
import type { ExecResult } from '../sandbox/types';
import { EditorService } from './service';

const lab = testLab('editor-lab', {}, { workspace: { from: 'starter', to: '/root/lab' }, editor: { files: [{ path: 'a.c' }], build: 'make', timeout: 60 } });
const SHA = 'a'.repeat(64);

function editorWith(answer: (argv: string[]) => Partial<ExecResult>) {
  const driver = new FakeDriver();
  const calls: string[][] = [];
  driver.execHandler = (_id, argv) => {
    calls.push(argv);
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, ...answer(argv) };
  };
  return { editor: new EditorService(driver), calls };
}

describe('EditorService with untrusted lab-file output', () => {
  it('reads what lab-file says when it says it properly', async () => {
    const { editor } = editorWith((argv) =>
      argv[1] === 'stat'
        ? { stdout: `{"path":"a.c","exists":true,"size":3,"mtime":1.5,"sha256":"${SHA}"}\n` }
        : { stdout: `{"size":3,"mtime":1.5,"sha256":"${SHA}"}\nint\n` },
    );
    expect(await editor.list('s', lab)).toEqual([{ path: 'a.c', exists: true, size: 3, mtime: 1.5, sha256: SHA }]);
    expect(await editor.read('s', lab, 'a.c')).toEqual({ path: 'a.c', size: 3, mtime: 1.5, sha256: SHA, content: 'int\n' });
  });

  it('answers 502 with what to do when lab-file prints garbage', async () => {
    for (const stdout of ['{"path":', 'null\n', '{"path":7}\n', '[]\n']) {
      const { editor } = editorWith(() => ({ stdout }));
      await expect(editor.list('s', lab), stdout).rejects.toMatchObject({ code: 'lab_file_garbled', status: 502, hint: expect.stringMatching(/Reset the lab/) });
    }
    for (const stdout of ['no header at all', '{"size":"big"}\ncontent', `{"size":1,"mtime":1,"sha256":"${SHA}"`]) {
      const { editor } = editorWith(() => ({ stdout }));
      await expect(editor.read('s', lab, 'a.c'), stdout).rejects.toMatchObject({ code: 'lab_file_garbled' });
    }
    const { editor } = editorWith(() => ({ stdout: 'saved!\n' }));
    await expect(editor.write('s', lab, 'a.c', 'int x;', 'any')).rejects.toMatchObject({ code: 'lab_file_garbled' });
  });

  it('reads a file within 256 KiB and a header, and answers 413 when the read went past that', async () => {
    const { editor, calls } = editorWith(() => ({ stdout: 'x'.repeat(100), overflow: true }));
    await expect(editor.read('s', lab, 'a.c')).rejects.toMatchObject({ code: 'file_too_large', status: 413 });
    expect(calls[0]).toEqual(['/opt/ebpf-labs/bin/lab-file', 'read', '/root/lab', 'a.c', String(256 * 1024)]);
  });

  it('shows a build that printed too much as stopped, and not ok', async () => {
    const { editor } = editorWith(() => ({ stdout: 'warning\n', overflow: true, outputLimit: 4 * 1024 * 1024, exitCode: 137 }));
    const r = await editor.build('s', lab);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/\[stopped: it printed more than 4 MiB\]$/);
  });
});
