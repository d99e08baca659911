import type { Backend, BackendOptions, BackendOpener } from './backend.ts';
import { backendOpeners } from './backend-openers.ts';
import type { StoreSetting } from './store-setting.ts';

export interface BackendConfig {
  /** LEDGER_STORE, parsed. */
  store: StoreSetting;
  /** LEDGER_DATA_DIR, resolved. */
  dataDir: string;
}

/**
 * The one way to open a ledger: `serve` and every CLI command call this with their
 * configuration and get the event store, the integrity port and the shared state, with one
 * close(). Throws BackendUnavailable (one line for the operator) or NoLedger.
 */
export const openBackend = (config: BackendConfig, options: Omit<BackendOptions, 'dataDir'> = {}): Promise<Backend> => {
  // The registry is keyed by the setting's kind, so the opener and the setting always match.
  const opener = backendOpeners[config.store.kind] as BackendOpener;
  return opener(config.store, { ...options, dataDir: config.dataDir });
};
