import { lastDayOf } from '../../events/business-date.ts';

const DAY_MS = 86_400_000;

/**
 * A business date as the history keys it: the number of its last day since 1970-01-01. A fact
 * counts at an effectiveOn when its number is at most the effectiveOn's (clocks.ts: a month
 * counts from its last day).
 */
export const businessDay = (date: string): number => Date.parse(`${lastDayOf(date)}T00:00:00Z`) / DAY_MS;

/** Before every business day: where what counts at every effectiveOn (corrections) sits. */
export const ALWAYS = -1e15;
