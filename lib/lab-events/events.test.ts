import { describe, expect, it } from 'vitest';
import { parseLabClientMessage } from './events';

describe('parseLabClientMessage', () => {
  it('reads the messages a lab page sends', () => {
    expect(parseLabClientMessage('{"type":"view","step":"01-x"}')).toEqual({ type: 'view', step: '01-x' });
    expect(parseLabClientMessage('{"type":"datapath","watch":true}')).toEqual({ type: 'datapath', watch: true });
    expect(parseLabClientMessage('{"type":"datapath","watch":false}')).toEqual({ type: 'datapath', watch: false });
    expect(parseLabClientMessage('{"type":"active"}')).toEqual({ type: 'active' });
    expect(parseLabClientMessage('{"type":"visibility","visible":false}')).toEqual({ type: 'visibility', visible: false });
  });

  it('refuses malformed ones (the socket is then closed with a protocol error)', () => {
    for (const bad of ['', 'nope', 'null', '{"type":"datapath"}', '{"type":"datapath","watch":"yes"}', '{"type":"view","step":1}', '{"type":"other"}', '{"type":"visibility"}']) {
      expect(parseLabClientMessage(bad), bad).toBeUndefined();
    }
  });
});
