import { endsBefore } from '../domain/calendar.ts';
import type { PlanFact } from '../domain/plan/state.ts';
import { later } from './dates.ts';
import type { ImportWarning } from './plan-document.ts';

/** What an import may change of an action the ledger holds, as the ledger's facts of that kind name it. */
type Change = 'deadline' | 'leads';

const WORDING: Record<Change, { recorded: string; wouldDo: string }> = {
  deadline: { recorded: 'revised its deadline', wouldDo: 'put its deadline back to the one this document gives' },
  leads: { recorded: 'changed its leads', wouldDo: "put its leads back to this document's" },
};

/**
 * The latest business date at which the ledger changed each action's deadline or leads. An import
 * that would change either at an earlier date is reading an older version of the plan than the
 * ledger already holds (a file picked by mistake, or a copy kept from before an update): the change
 * would move the action back to what that older version said, as if it were news.
 */
export const latestChanges = (facts: PlanFact[], warnings: ImportWarning[]) => {
  const latest: Record<Change, Map<string, string>> = { deadline: new Map(), leads: new Map() };
  const note = (change: Change, ref: string, on: string) => {
    const before = latest[change].get(ref);
    latest[change].set(ref, before === undefined ? on : later(before, on));
  };
  for (const fact of facts)
    if (fact.type === 'DeadlineRevised') note('deadline', fact.data.ref, fact.effectiveOn);
    else if (fact.type === 'ActionLeadChanged') note('leads', fact.data.ref, fact.effectiveOn);

  /**
   * Adds a blocking warning when the ledger changed this action's deadline or leads after `on`, the date the import
   * would record its change at.
   */
  return (change: Change, ref: string, on: string, location: string | undefined): void => {
    const recorded = latest[change].get(ref);
    if (recorded === undefined || !endsBefore(on, recorded)) return;
    warnings.push({
      code: 'older-than-ledger',
      location,
      message:
        `action ${ref}: the ledger ${WORDING[change].recorded} as of ${recorded}, after ${on}, the date this document's ` +
        `change would take: if the document is an older version of the plan than the ledger holds, importing it would ` +
        `${WORDING[change].wouldDo}; if the change is news, give it its own date`,
    });
  };
};
