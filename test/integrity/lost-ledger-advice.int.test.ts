import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { LedgerLost, refuseLostLedger } from '../../src/integrity/lost-ledger.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { seedPlans } from './ledger-fixture.ts';

/**
 * A KurrentDB instance keeps the checkpoint in its data directory too, so an engine found empty (a new engine, a wrong
 * ledgerNamespace, an engine restore under way) stops the start. Its advice must be one the operator can take there:
 * `ledger restore` restores a data directory of the embedded store, and on KurrentDB `ledger backup` does not run at all.
 */
describe('the refusal to start on an empty ledger beside a kept checkpoint', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    dir = makeTempDir('lost-ledger-advice-');
    const { key } = loadSigningKey({ dataDir: dir.path });
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await seedPlans(store, 2);
    const integrity = openLedgerIntegrity({ file: dir.file('ledger.db'), key, events: store });
    await integrity.checkpointNow();
    await integrity.close();
    await store.close();
  });
  afterEach(() => dir.remove());

  const refusal = async (kind: 'sqlite' | 'kurrentdb', description: string) => {
    // A real ledger file with no events beside the kept checkpoint: the ledger that was checkpointed, lost.
    const empty = openSqliteEventStore({ file: dir.file('empty-ledger.db') });
    const error = await refuseLostLedger({
      events: empty,
      keptCheckpointFile: dir.file(KEPT_CHECKPOINT_FILE),
      ledgerDescription: description,
      backendKind: kind,
    })
      .catch((e: unknown) => e)
      .finally(() => empty.close());
    expect(error).toBeInstanceOf(LedgerLost);
    return (error as Error).message;
  };

  it('on KurrentDB, points at the engine and its ledgerNamespace, not at ledger restore or a ledger file', async () => {
    const message = await refusal('kurrentdb', 'KurrentDB ledger ledger:* at db1:2113');
    expect(message).not.toContain('ledger restore');
    expect(message).not.toContain('ledger file');
    expect(message).toMatch(/ledgerNamespace/);
    expect(message).toContain(dir.file(KEPT_CHECKPOINT_FILE));
  });

  it('on the embedded store, still says to restore the data directory with ledger restore', async () => {
    expect(await refusal('sqlite', `embedded ledger ${dir.file('ledger.db')}`)).toContain('`ledger restore`');
  });
});
