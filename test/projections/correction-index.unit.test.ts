import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CorrectionItem } from '../../projections/plan-status/document.ts';
import { correctionIndex } from '../../projections/plan-status/correction-index.ts';

/** Only what the index reads of a correction: its own id and the id it was recorded against. */
const item = (eventId: string, target: string) => ({ eventId, recorded: { correctedEventId: target } }) as unknown as CorrectionItem;

/** Whether any correction in the list corrects another, found by scanning it all. */
const scannedCorrectsACorrection = (list: CorrectionItem[]) => {
  const ids = new Set(list.map((c) => c.eventId));
  return list.some((c) => ids.has(c.recorded.correctedEventId));
};

describe("the index of a document's corrections", () => {
  it('says what scanning the list says after every correction appended, whatever order the ids come in', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(fc.array(fc.tuple(id, id), { maxLength: 12 }), fc.array(fc.boolean(), { maxLength: 12 }), (pairs, looks) => {
        const list: CorrectionItem[] = [];
        const check = () => {
          const index = correctionIndex(list);
          expect(index.correctsACorrection).toBe(scannedCorrectsACorrection(list));
          expect(index.ids).toEqual(new Set(list.map((c) => c.eventId)));
          for (const target of 'abcdef')
            expect(index.byTarget.get(target) ?? []).toEqual(list.filter((c) => c.recorded.correctedEventId === target));
        };
        // Looked at after some appends and not others: the index catches up on every item appended since.
        pairs.forEach(([eventId, target], i) => {
          if (looks[i]) check();
          list.push(item(eventId, target));
        });
        check();
      }),
      { numRuns: 2000 },
    );
  });
});
