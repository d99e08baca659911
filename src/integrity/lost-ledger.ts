import type { EventStore } from '../store/port.ts';
import { readKeptCheckpoint, UnreadableCheckpoint } from './kept-checkpoint.ts';

/** The ledger is empty but the checkpoint kept beside it was signed over events: its file was lost or replaced. */
export class LedgerLost extends Error {}

/**
 * An empty ledger is a first start only where no checkpoint was ever kept. Beside a kept checkpoint over events it is a
 * ledger lost (its file deleted, emptied, or a new one put in its place): starting would import the demo plans into it
 * and take writes that no checkpoint can ever sign, since signing refuses a ledger that does not extend the kept one. So
 * the start stops, before anything is written, and says how to go on. A ledger that is shorter but not empty is left to
 * the signer's refusal (docs/operations.md, a point-in-time restore): its events are the ledger's own.
 */
export const refuseLostLedger = async (deps: {
  events: Pick<EventStore, 'headPosition'>;
  keptCheckpointFile: string;
  ledgerDescription: string;
  /** On KurrentDB the ledger is the engine's, and `ledger backup`/`ledger restore` do not run (docs/operations.md). */
  backendKind?: 'sqlite' | 'kurrentdb';
}): Promise<void> => {
  // The head, not a count: counting walks every event at each start (seconds at ten million), the head is one lookup.
  if ((await deps.events.headPosition()) !== undefined) return;
  let kept;
  try {
    kept = readKeptCheckpoint(deps.keptCheckpointFile);
  } catch (error) {
    // An unreadable copy proves nothing about what the ledger held; the signer refuses to sign over it, and says so.
    if (error instanceof UnreadableCheckpoint) return;
    throw error;
  }
  if (!kept) return;
  const remedy =
    deps.backendKind === 'kurrentdb'
      ? 'the engine was replaced, emptied, or is not the one (or the ledgerNamespace) this data directory served. Nothing ' +
        "was written. Check LEDGER_STORE's address and ledgerNamespace; else restore the engine with its own backup " +
        'procedure (docs/operations.md#on-kurrentdb) and run `ledger verify --checkpoint` with the newest checkpoint you kept; ' +
        `to start a new, empty ledger with this data directory on purpose, move ${deps.keptCheckpointFile} aside first`
      : 'the ledger file was lost or replaced. Nothing was written. Restore the data directory from a backup (`ledger ' +
        'restore`, docs/operations.md) and run `ledger verify --checkpoint` with the newest checkpoint you kept; to start a ' +
        `new, empty ledger here on purpose, move ${deps.keptCheckpointFile} aside first`;
  throw new LedgerLost(
    `the ${deps.ledgerDescription} holds no events, but the checkpoint kept beside it (${deps.keptCheckpointFile}) was signed ` +
      `over ${kept.treeSize} events at ${kept.issuedAt} by key ${kept.keyId}: ${remedy}`,
  );
};
