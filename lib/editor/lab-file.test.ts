import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAB_FILE_EXIT } from './lab-file';

const script = readFileSync(path.join(import.meta.dirname, '../../sandbox/rootfs/opt/ebpf-labs/bin/lab-file'), 'utf8');

describe('lab-file exit codes', () => {
  it('are the same in the sandbox script and on the server', () => {
    const declared = /^readonly (E_\w+=\d+(?: E_\w+=\d+)*)$/m.exec(script)?.[1];
    expect(declared, 'lab-file declares its codes on one readonly line').toBeDefined();
    const inScript = Object.fromEntries(declared!.split(' ').map((d) => d.slice(2).split('=')).map(([k, v]) => [k, Number(v)]));
    const { OK: _ok, ...onServer } = LAB_FILE_EXIT;
    expect(inScript).toEqual(onServer);
  });

  it('are used by name in the script, never as bare numbers', () => {
    expect(script).not.toMatch(/fail [0-9]/);
  });
});
