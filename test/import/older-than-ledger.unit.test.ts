import { describe, expect, it } from 'vitest';
import type { PlanFact } from '../../src/domain/plan/state.ts';
import { latestChanges } from '../../src/import/older-than-ledger.ts';
import type { ImportWarning } from '../../src/import/plan-document.ts';

/** Only what latestChanges reads of a fact: its type, the action it names and its business date. */
const fact = (type: 'DeadlineRevised' | 'ActionLeadChanged', ref: string, effectiveOn: string) =>
  ({ type, data: { ref }, effectiveOn }) as unknown as PlanFact;

describe("a change an import would date before the ledger's latest change of the same action", () => {
  const facts = [
    fact('DeadlineRevised', '1.1', '2018-01'),
    fact('DeadlineRevised', '1.1', '2017-06'),
    fact('ActionLeadChanged', '1.2', '2019-03-14'),
  ];
  /** The warning one change would add, if any. */
  const olderThan = (...change: Parameters<ReturnType<typeof latestChanges>>) => {
    const warnings: ImportWarning[] = [];
    latestChanges(facts, warnings)(...change);
    return warnings[0];
  };

  it("is named for a deadline revised later, against the latest revision whatever the ledger's order", () => {
    expect(olderThan('deadline', '1.1', '2017-09', 'line 4')).toMatchObject({ code: 'older-than-ledger', location: 'line 4' });
    expect(olderThan('deadline', '1.1', '2017-09', undefined)!.message).toContain('as of 2018-01, after 2017-09');
  });

  it('is named for leads changed later', () => {
    expect(olderThan('leads', '1.2', '2019-02', undefined)!.message).toMatch(/^action 1\.2: the ledger changed its leads as of 2019-03-14/);
  });

  it('is not named for a change within the month of the latest, after it, or of another kind or action', () => {
    expect(olderThan('leads', '1.2', '2019-03', undefined)).toBeUndefined();
    expect(olderThan('deadline', '1.1', '2018-02', undefined)).toBeUndefined();
    expect(olderThan('leads', '1.1', '2017-01', undefined)).toBeUndefined();
    expect(olderThan('deadline', '2.1', '2010-01', undefined)).toBeUndefined();
  });
});
