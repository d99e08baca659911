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
