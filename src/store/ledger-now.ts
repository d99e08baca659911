import { ledgerTimeFor } from './ledger-time.ts';
import type { EventStore } from './port.ts';

/**
 * The ledger time of a read of the ledger as it stands now: the clock's reading, or the ledger
 * time at its head when that is later (this clock behind the one that stamped it: stepped back,
 * or another instance's running ahead). A read named by the clock alone would leave out events it
 * holds, and its name would say a state of the ledger before them.
 */
export const ledgerNow = async (store: Pick<EventStore, 'headLedgerTime'>, now: Date): Promise<string> =>
  ledgerTimeFor(now.toISOString(), await store.headLedgerTime());

/**
 * An instant for a read: as given once the ledger time has passed it, else the ledger time now. An answer named by a
 * time still to come would say a state of the ledger not reached, and would change as it is reached; named by the
 * ledger time now, it says the state it holds (a read at that name later may still gain an append then in flight, or
 * one from an instance whose clock is behind: docs/projections.md). The store is asked only when the instant is later
 * than the clock.
 */
export const notAfterLedgerNow = async (store: Pick<EventStore, 'headLedgerTime'>, now: Date, instant: string): Promise<string> => {
  if (instant <= now.toISOString()) return instant;
  const ledger = await ledgerNow(store, now);
  return instant <= ledger ? instant : ledger;
};
