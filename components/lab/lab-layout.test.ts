import { expect, it } from 'vitest';
import { parseLabLayout, sizesFor } from './lab-layout';

it('reads back what the page saved, and drops what it cannot trust', () => {
  const saved = { columns: { steps: 30, work: 70 }, rows: { terminals: 40, tools: 60 }, tool: 'datapath', maximised: true };
  expect(parseLabLayout(JSON.stringify(saved))).toEqual(saved);
  expect(parseLabLayout(encodeURIComponent(JSON.stringify(saved)))).toEqual(saved);
  expect(parseLabLayout(undefined)).toEqual({});
  expect(parseLabLayout('not json')).toEqual({});
  expect(parseLabLayout(JSON.stringify({ columns: { steps: 30, work: 30 }, rows: { a: -1, b: 101 }, tool: 'shell', maximised: 'yes' }))).toEqual({
    columns: undefined,
    rows: undefined,
    tool: undefined,
    maximised: undefined,
  });
});

it('applies saved sizes only to a group of the same panels', () => {
  expect(sizesFor({ terminals: 40, tools: 60 }, ['terminals', 'tools'])).toEqual({ terminals: 40, tools: 60 });
  expect(sizesFor({ terminals: 40, tools: 60 }, ['terminals'])).toBeUndefined();
  expect(sizesFor(undefined, ['terminals'])).toBeUndefined();
});
