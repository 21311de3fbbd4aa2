import { describe, expect, it } from 'vitest';
import { LINE_TIMEOUT_MS, SandboxAdmission } from './admission';

const limits = { max: 3, perLearner: 2, perAddress: 2 };

describe('SandboxAdmission', () => {
  it('caps sandboxes per learner and per address with a message that says what to do', () => {
    const a = new SandboxAdmission(limits);
    a.admit('ann', 'lab-1', '10.0.0.1');
    a.admit('ann', 'lab-2', '10.0.0.1');
    a.admit('ann', 'lab-2', '10.0.0.1'); // already holds it: no second slot
    expect(() => a.admit('ann', 'lab-3', '10.0.0.9')).toThrow(expect.objectContaining({ code: 'learner_limit', status: 429 }));
    // Fresh cookies from the same address do not get around it.
    expect(() => a.admit('bot-1', 'lab-1', '10.0.0.1')).toThrow(expect.objectContaining({ code: 'address_limit', status: 429 }));
    a.admit('bob', 'lab-1', '10.0.0.2');
  });

  it('puts learners in one line when the server is full, and gives a freed slot to the head of the line', () => {
    const a = new SandboxAdmission({ max: 2, perLearner: 5, perAddress: 5 });
    a.admit('a', 'lab', '1');
    a.admit('b', 'lab', '2');
    const place = (who: string) => {
      try {
        a.admit(who, 'lab', who);
        return 'admitted';
      } catch (e) {
        return (e as { code: string; options: { data?: { position?: number } } }).options.data?.position;
      }
    };
    expect(place('c')).toBe(1);
    expect(place('d')).toBe(2);
    expect(place('c')).toBe(1); // asking again keeps the place
    a.released('a', 'lab');
    expect(place('d')).toBe(2); // d may not jump the line
    expect(place('c')).toBe('admitted');
    expect(place('d')).toBe(1);
  });

  it('drops from the line a learner whose page stopped asking', () => {
    let t = 0;
    const a = new SandboxAdmission({ max: 1, perLearner: 5, perAddress: 5 }, () => t);
    a.admit('a', 'lab', '1');
    expect(() => a.admit('gone', 'lab', '2')).toThrow();
    t += 1000;
    expect(() => a.admit('here', 'lab', '3')).toThrow(expect.objectContaining({ options: expect.objectContaining({ data: { position: 2, retryS: 5 } }) }));
    t += LINE_TIMEOUT_MS; // "gone" never asked again; "here" asks now
    expect(() => a.admit('here', 'lab', '3')).toThrow(expect.objectContaining({ options: expect.objectContaining({ data: { position: 1, retryS: 5 } }) }));
    expect(a.waiting()).toBe(1);
  });

  it('lets a Reset keep the slot it holds, and counts adopted sandboxes', () => {
    const a = new SandboxAdmission({ max: 1, perLearner: 5, perAddress: 5 });
    a.adopt([{ owner: 'a', lab: 'lab' }]);
    expect(() => a.admit('b', 'lab', '2')).toThrow(expect.objectContaining({ code: 'server_full' }));
    a.released('a', 'lab'); // the reset stops it...
    a.hold('a', 'lab', '1'); // ...and takes the slot back before anyone else
    expect(() => a.admit('b', 'lab', '2')).toThrow(expect.objectContaining({ code: 'server_full' }));
  });
});
