import type { BackendOpener } from './backend.ts';
import { openSqliteBackend } from './sqlite/open-sqlite-backend.ts';
import type { BackendKind, StoreSetting } from './store-setting.ts';

/**
 * One opener per kind of LEDGER_STORE. A new backend is one line here. The KurrentDB backend is
 * loaded only when it is opened: its client (gRPC, protobuf, telemetry) takes a noticeable part of a
 * second to load, which every `ledger` command on the embedded store would otherwise pay at start.
 */
export const backendOpeners: { [K in BackendKind]: BackendOpener<Extract<StoreSetting, { kind: K }>> } = {
  sqlite: openSqliteBackend,
  kurrentdb: async (setting, options) => (await import('./kurrentdb/open-kurrentdb-backend.ts')).openKurrentBackend(setting, options),
};
