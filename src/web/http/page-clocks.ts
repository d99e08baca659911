import type { Clocks } from '../../../projections/clocks/clocks.ts';
import { BadTimeTravel, clockRefusal, pageNow, PRESENT, timeTravelOf, type TimeTravel } from '../time-travel.ts';
import { otherQueryOf, typedClocks, type ClockErrors } from './render.ts';
import type { WebRouteDeps } from './web-deps.ts';

/** The clocks of an address as a page reads them: its time travel, or the present and what is wrong with its dates. */
export type PageClocks =
  { travel: TimeTravel; refused?: undefined } | { travel: TimeTravel; refused: BadTimeTravel; clockErrors: ClockErrors };

/**
 * Reads the clocks an address asks for, checked by the reader as the API checks them (nothing can be known of a day
 * that had not begun by the ledger's date). Dates it cannot read leave the page at the present, with each problem at
 * its field, the dates as typed, and what else the address asked for (a report's period, a history's order), which
 * goes with the corrected date. Every page's hook reads them so, and a page that sets one of them aside reads the rest
 * again so (the changes page, refusing a date of the clock it compares on).
 */
export const pageClocksOf =
  (deps: Pick<WebRouteDeps, 'store' | 'clock' | 'read'>) =>
  async (query: { asOf?: unknown; effectiveOn?: unknown }): Promise<PageClocks> => {
    const check = (clocks: Clocks) => deps.read.reader.check(clocks);
    try {
      return { travel: timeTravelOf(query, await pageNow(deps.store, query.asOf, deps.clock()), check) };
    } catch (error) {
      const refused = clockRefusal(error);
      if (!refused) throw error;
      return {
        travel: PRESENT,
        refused,
        clockErrors: {
          errors: refused.problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
          travelInput: typedClocks(query),
          travelErrors: Object.fromEntries(refused.problems.map((p) => [p.field, p.message])),
          keepQuery: otherQueryOf(query),
        },
      };
    }
  };
