import { afterEach, expect, it, vi } from 'vitest';
import { wsUrl } from './ws-url';

afterEach(() => vi.unstubAllGlobals());

it('follows the page: ws: on http:, wss: on https:, same host, query appended', () => {
  vi.stubGlobal('location', { protocol: 'http:', host: 'localhost:3000' });
  expect(wsUrl('/ws/terminal')).toBe('ws://localhost:3000/ws/terminal');
  vi.stubGlobal('location', { protocol: 'https:', host: 'labs.example' });
  expect(wsUrl('/ws/lab', { lab: 'a b', step: '01-x' })).toBe('wss://labs.example/ws/lab?lab=a+b&step=01-x');
});
