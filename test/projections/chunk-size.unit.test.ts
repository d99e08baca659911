import { describe, expect, it } from 'vitest';
import { answerBytes, nextChunkEvents } from '../../projections/runner/chunk-size.ts';

const limits = { maxEvents: 250_000, maxBytes: 100 };

describe('the size of a parallel rebuild chunk', () => {
  it('shrinks in proportion when an answer weighs more than the limit, never below a tenth of the most or 5,000 events', () => {
    expect(nextChunkEvents(250_000, 200, limits)).toBe(125_000);
    expect(nextChunkEvents(10_000, 1_000_000, limits)).toBe(5_000);
    expect(nextChunkEvents(1_000, 1_000_000, { maxEvents: 1_000, maxBytes: 100 })).toBe(100);
  });

  it('grows back towards the most while answers weigh under half the limit, and stays between half and the limit', () => {
    expect(nextChunkEvents(50_000, 10, limits)).toBe(100_000);
    expect(nextChunkEvents(200_000, 10, limits)).toBe(250_000);
    expect(nextChunkEvents(80_000, 70, limits)).toBe(80_000);
  });

  it('weighs an answer by the JSON and bytes it carries', () => {
    const bytes = answerBytes({
      type: 'chunk-done',
      read: 10,
      documents: [['plan-status', 'a', '{"x":1}']],
      snapshots: [{ projection: 'plan-status', key: 'a', revision: 0, recordedAt: '2024-01-01T00:00:00Z', doc: new Uint8Array(2) }],
      history: {
        projection: 'plan-status',
        write: {
          cursors: [],
          ledgerBlocks: [{ plan: 'a', block: { seq: 0, first: 0, bytes: new Uint8Array(5) } }],
          business: [{ plan: 'a', fromSeq: 0, blocks: [{ seq: 0, first: 0, bytes: new Uint8Array(3) }] }],
          values: [[1, '"text"']],
        },
      },
    });
    expect(bytes).toBe(7 + 2 + 5 + 3 + 6);
  });
});
