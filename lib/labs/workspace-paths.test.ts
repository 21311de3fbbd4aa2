import { describe, expect, it } from 'vitest';
import { checkWorkspacePath } from './workspace-paths';

describe('checkWorkspacePath', () => {
  it('accepts paths inside the workspace', () => {
    for (const p of ['sockops.bpf.c', 'Makefile', 'sub/dir/file.h', '.hidden', 'a-b_c+d@e.yaml']) expect(checkWorkspacePath(p)).toBe(p);
  });

  it('refuses every way out, with a message that says why', () => {
    const cases: [unknown, RegExp][] = [
      ['/etc/passwd', /absolute path/],
      ['../etc/passwd', /goes up with "\.\."/],
      ['sub/../../etc/passwd', /goes up/],
      ['..', /goes up/],
      ['a\\..\\b', /backslash/],
      ['a//b', /empty or "\." segment/],
      ['./a', /empty or "\." segment/],
      ['a\0b', /NUL/],
      ['', /No file path/],
      [undefined, /No file path/],
      [42, /No file path/],
      ['x'.repeat(201), /longer than/],
      ['a;rm -rf', /characters/],
    ];
    for (const [p, message] of cases) {
      expect(() => checkWorkspacePath(p), String(p)).toThrow(message);
    }
  });
});
