import { describe, expect, it } from 'vitest';
import { kernelSharing, parseBootId } from './kernel-probe';

const A = '0b8e2d3c-1f6a-4c1e-9d7a-2b3c4d5e6f70';
const B = 'ffffffff-1f6a-4c1e-9d7a-2b3c4d5e6f70';

describe('kernel sharing', () => {
  it("is 'shared' when the sandbox reports the host's boot id, 'own' for another, unknown without both", () => {
    expect(kernelSharing(A, A)).toBe('shared');
    expect(kernelSharing(B, A)).toBe('own');
    expect(kernelSharing(undefined, A)).toBeUndefined();
    expect(kernelSharing(A, undefined)).toBeUndefined();
    expect(kernelSharing('', A)).toBeUndefined();
  });
  it('reads a boot id out of what cat printed, and nothing else', () => {
    expect(parseBootId(`${A}\n`)).toBe(A);
    expect(parseBootId('cat: /proc/sys/kernel/random/boot_id: No such file')).toBeUndefined();
  });
});
