import { lastDayOf } from '../../events/business-date.ts';
import { countingDays, dayCountedFrom } from '../clocks/select-facts.ts';
import type { LedgerFact } from '../ledger-fact.ts';

const DAY_MS = 86_400_000;

/** Dates already numbered: a few thousand cover centuries of days, so the cap is only a guard. */
const numbered = new Map<string, number>();
const NUMBERED_AT_MOST = 100_000;

/**
 * A business date as the history keys it: the number of its last day since 1970-01-01. A fact
 * counts at an effectiveOn when the number of the day it counts from (`factDay`) is at most the
 * effectiveOn's (clocks.ts). Remembered: a rebuild asks for every event's date, and again for
 * each of a plan's facts when its business lines are worked out, and parsing was a tenth of it.
 */
export const businessDay = (date: string): number => {
  let day = numbered.get(date);
  if (day === undefined) {
    if (numbered.size >= NUMBERED_AT_MOST) numbered.clear();
    day = Date.parse(`${lastDayOf(date)}T00:00:00Z`) / DAY_MS;
    numbered.set(date, day);
  }
  return day;
};

/**
 * The number of the day a fact counts from on its own (clocks.ts `countsFrom`), at the date it was
 * recorded with: before corrections, and before what it is about (`factDays` adds both).
 */
export const factDay = (fact: Pick<LedgerFact, 'effectiveOn' | 'recordedAt'>): number =>
  businessDay(dayCountedFrom(fact.effectiveOn.date, fact.recordedAt, undefined));

/**
 * The number of the day each of a plan's facts counts from (in ledger order): at the dates its
 * corrections set, and no earlier than what it is about (select-facts.ts `countingDays`).
 */
export const factDays = (facts: readonly LedgerFact[]): Map<LedgerFact, number> =>
  new Map([...countingDays(facts)].map(([fact, day]) => [fact, businessDay(day)]));

/** Before every business day: where what counts at every effectiveOn (corrections) sits. */
export const ALWAYS = -1e15;
