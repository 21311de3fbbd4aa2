import { expect, it } from 'vitest';
import { account, commit, newFlowState } from './flow-control';

it('pauses above the high watermark and resumes below the low one', () => {
  const s = newFlowState();
  expect(account(s, 60, 100)).toBe(false);
  expect(account(s, 60, 100)).toBe(true); // 120 > 100
  expect(account(s, 10, 100)).toBe(false); // already paused
  expect(commit(s, 50, 20)).toBe(false); // 80 left
  expect(commit(s, 70, 20)).toBe(true); // 10 < 20
  expect(s).toEqual({ unacked: 10, paused: false });
});

it('heals itself: an over-acknowledgement never drives the count below zero', () => {
  const s = newFlowState();
  account(s, 10);
  commit(s, 1000);
  expect(s.unacked).toBe(0);
});
