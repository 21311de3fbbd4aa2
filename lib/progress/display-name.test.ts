import { describe, expect, it } from 'vitest';
import { parseDisplayName } from './display-name';

describe('parseDisplayName', () => {
  it('trims and collapses whitespace; empty or absent means no name', () => {
    expect(parseDisplayName('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(parseDisplayName('   ')).toBeNull();
    expect(parseDisplayName(undefined)).toBeNull();
    expect(parseDisplayName('Zoë Ñúñez')).toBe('Zoë Ñúñez');
  });

  it('refuses what would mislead the instructor or break their view', () => {
    for (const bad of [42, 'x'.repeat(41), 'evil\u202Eeman', 'a\u0007b', '<script>', { name: 'a' }]) {
      expect(() => parseDisplayName(bad), String(bad)).toThrow(expect.objectContaining({ code: 'invalid_name' }));
    }
  });
});
