import { randomBytes } from 'node:crypto';
import type { Backend } from '../../src/backend/backend.ts';
import { assembleKurrentBackend } from '../../src/backend/kurrentdb/open-kurrentdb-backend.ts';
import { connectKurrentDB, engineAddress } from '../../src/store/kurrentdb/connection.ts';
import { openKurrentEventStore, type KurrentEventStore } from '../../src/store/kurrentdb/kurrentdb-event-store.ts';
import { ledgerNames, type LedgerNames } from '../../src/store/kurrentdb/stream-names.ts';

/** The KurrentDB server these suites run against, from LEDGER_KURRENTDB_URL (unset: they do not run). */
export const serverUrl = process.env['LEDGER_KURRENTDB_URL'];

/**
 * A ledger of its own on the shared server: a fresh namespace per test keeps tests apart and
 * starts each on an empty ledger, however many runs the server has seen.
 */
export const freshLedgerNames = (): LedgerNames => ledgerNames(`t${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);

/** LEDGER_STORE for a `ledger` process on that ledger. */
export const ledgerStoreSetting = (names: LedgerNames): string =>
  `${serverUrl!}${serverUrl!.includes('?') ? '&' : '?'}ledgerNamespace=${names.namespace}`;

/** An event store on the real server, with its own client and a position index file of its own. */
export const openServerStore = async (names: LedgerNames, indexFile: string): Promise<KurrentEventStore> =>
  openKurrentEventStore({ client: await connectKurrentDB(serverUrl!), address: engineAddress(serverUrl!), names, indexFile });

/** The whole KurrentDB backend on the real server, on the ledger `names`, with this data dir for its local state. */
export const openServerBackend = async (names: LedgerNames, dataDir: string): Promise<Backend> =>
  assembleKurrentBackend({ client: await connectKurrentDB(serverUrl!), address: engineAddress(serverUrl!), names }, { dataDir });
