import { keptCheckpointFileFor } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity, type LedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from '../../src/integrity/signing-key.ts';
import { createSqliteIntegrityStore } from '../../src/integrity/sqlite/integrity-store.ts';
import { openLedgerFile } from '../../src/store/sqlite/ledger-file.ts';
import type { EventStore } from '../../src/store/port.ts';
import type { TreeDamage } from '../../src/integrity/tree-index.ts';

/**
 * The integrity services over one SQLite ledger file, on an integrity port of their own, as a
 * freshly started process has them (nothing cached from before); close() releases the port too.
 */
export const openLedgerIntegrity = (options: {
  file: string;
  key: LedgerSigningKey | LedgerVerificationKey;
  events: Pick<EventStore, 'readStream' | 'streamRevision'>;
  onTreeDamage?: (damage: TreeDamage[]) => void;
}): LedgerIntegrity => {
  const integrity = createSqliteIntegrityStore({ db: openLedgerFile(options.file), file: options.file });
  const ledger = createLedgerIntegrity({
    integrity,
    events: options.events,
    key: options.key,
    keptCheckpointFile: keptCheckpointFileFor(options.file),
    ...(options.onTreeDamage ? { onTreeDamage: options.onTreeDamage } : {}),
  });
  return {
    ...ledger,
    close: async () => {
      await ledger.close();
      await integrity.close();
    },
  };
};
