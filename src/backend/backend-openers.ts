import type { BackendOpener } from './backend.ts';
import { BackendUnavailable } from './backend.ts';
import { openSqliteBackend } from './sqlite/open-sqlite-backend.ts';
import { describeStoreSetting, type BackendKind, type StoreSetting } from './store-setting.ts';

/** Until the KurrentDB adapter is built in: one clear line at start-up instead of a failure later. */
const kurrentdbNotBuiltIn: BackendOpener<Extract<StoreSetting, { kind: 'kurrentdb' }>> = async (setting) => {
  throw new BackendUnavailable(
    `LEDGER_STORE=${describeStoreSetting(setting)} selects KurrentDB, but this build has no KurrentDB adapter; unset ` +
      `LEDGER_STORE (or set it to sqlite) to use the embedded store`,
  );
};

/** One opener per kind of LEDGER_STORE. A new backend is one line here. */
export const backendOpeners: { [K in BackendKind]: BackendOpener<Extract<StoreSetting, { kind: K }>> } = {
  sqlite: openSqliteBackend,
  kurrentdb: kurrentdbNotBuiltIn,
};
