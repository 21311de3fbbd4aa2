import { describe, expect, it } from 'vitest';
import { pickTab, terminalTabKey } from './use-terminal-tab';

const tabs = [{ name: 'server' }, { name: 'client' }, { name: 'sandbox' }];

describe('the terminal tab on view', () => {
  it('is the one the learner last chose in this lab, while the lab still has it', () => {
    expect(pickTab('sandbox', tabs, 'client')).toBe('sandbox');
    expect(pickTab('renamed', tabs, 'client')).toBe('client');
    expect(pickTab(null, tabs, 'client')).toBe('client');
  });

  it('is remembered per lab', () => {
    expect(terminalTabKey('proxy-acceleration')).not.toBe(terminalTabKey('transparent-proxy'));
  });
});
