import type { BackendOpener } from './backend.ts';
import { openSqliteBackend } from './sqlite/open-sqlite-backend.ts';
import { openKurrentBackend } from './kurrentdb/open-kurrentdb-backend.ts';
import type { BackendKind, StoreSetting } from './store-setting.ts';

/** One opener per kind of LEDGER_STORE. A new backend is one line here. */
export const backendOpeners: { [K in BackendKind]: BackendOpener<Extract<StoreSetting, { kind: K }>> } = {
  sqlite: openSqliteBackend,
  kurrentdb: openKurrentBackend,
};
