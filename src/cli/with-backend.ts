import path from 'node:path';
import type { Backend, BackendOptions } from '../backend/backend.ts';
import { openBackend } from '../backend/open-backend.ts';
import { loadConfig, type Config } from '../config.ts';
import { KEPT_CHECKPOINT_FILE } from '../integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../integrity/ledger-integrity.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from '../integrity/signing-key.ts';

/** The configuration a CLI command runs with: the environment, with --data-dir winning over LEDGER_DATA_DIR. */
export const configFor = (dataDir: string | undefined): Config =>
  loadConfig({ ...process.env, ...(dataDir ? { LEDGER_DATA_DIR: dataDir } : {}) });

/** Runs a command on the configured backend and always closes it, however the command ends. */
export const withBackend = async <T>(
  config: Config,
  run: (backend: Backend) => Promise<T>,
  options: Omit<BackendOptions, 'dataDir'> = {},
): Promise<T> => {
  const backend = await openBackend(config, options);
  try {
    return await run(backend);
  } finally {
    await backend.close();
  }
};

const REWORKED_IN_MEMORY = 'worked out again from the events, in memory (the file is not changed)';

/**
 * The integrity services over a backend, with this data dir's kept checkpoint. `readOnly`: the backend was opened so
 * (`ledger verify`), and a damaged node is worked out again in memory only, which the line on stderr says.
 */
export const integrityOf = (
  backend: Backend,
  config: Config,
  key: LedgerSigningKey | LedgerVerificationKey,
  options: { readOnly?: boolean } = {},
) =>
  createLedgerIntegrity({
    integrity: backend.integrity,
    events: backend.events,
    key,
    keptCheckpointFile: path.join(config.dataDir, KEPT_CHECKPOINT_FILE),
    onTreeDamage: (damage) =>
      process.stderr.write(
        `ledger: the Merkle node cache did not match the events at ${damage.length} node(s) (first: level ${damage[0]?.level}, ` +
          `index ${damage[0]?.index}); ${options.readOnly ? REWORKED_IN_MEMORY : 'rebuilt from the events'}\n`,
      ),
  });
