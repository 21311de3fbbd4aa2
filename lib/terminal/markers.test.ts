import { describe, expect, it } from 'vitest';
import { MarkerFilter } from './markers';

describe('MarkerFilter', () => {
  it('removes markers and reports them in order', () => {
    const f = new MarkerFilter();
    expect(f.feed('out\r\n\x1b]6973;done;0\x07prompt# \x1b]6973;done;2\x1b\\')).toEqual({
      text: 'out\r\nprompt# ',
      markers: [
        { name: 'done', args: ['0'] },
        { name: 'done', args: ['2'] },
      ],
    });
  });

  it('joins a marker split across reads, at every possible split point', () => {
    const whole = 'a\x1b]6973;done;127\x07b';
    for (let i = 1; i < whole.length; i++) {
      const f = new MarkerFilter();
      const one = f.feed(whole.slice(0, i));
      const two = f.feed(whole.slice(i));
      expect(one.text + two.text).toBe('ab');
      expect([...one.markers, ...two.markers]).toEqual([{ name: 'done', args: ['127'] }]);
    }
  });

  it('passes other escape sequences through untouched', () => {
    const f = new MarkerFilter();
    const s = '\x1b]0;title\x07\x1b[1;32mgreen\x1b[0m \x1b]';
    const r = f.feed(s);
    expect(r.text + f.feed('x').text).toBe(s + 'x');
    expect(r.markers).toEqual([]);
  });

  it('does not hold output back forever for an unterminated marker', () => {
    const f = new MarkerFilter();
    const r1 = f.feed('\x1b]6973;' + 'x'.repeat(300));
    expect(r1.text.length).toBeGreaterThan(0);
  });
});
