import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import { openAsAttacker, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * Verify over a backend opened read-only works out the Merkle nodes it needs in memory (merkle-node-overlay.ts): it indexes
 * events the node cache does not hold yet and names a damaged node, as over a writable one, but writes neither to the file,
 * so the damage is named again on the next run rather than repaired by the check.
 */
describe('verify over a ledger opened read-only', () => {
  const ctx = useLedger();

  const merkleRows = () => {
    const db = openAsAttacker(ctx.file);
    try {
      return db.prepare('SELECT level, idx, hex(hash) AS hash FROM merkle_nodes ORDER BY level, idx').all();
    } finally {
      db.close();
    }
  };

  const verifyReadOnly = async () => {
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: ctx.dir.path }, { readOnly: true });
    const ledger = createLedgerIntegrity({
      integrity: backend.integrity,
      events: backend.events,
      key: ctx.key,
      keptCheckpointFile: path.join(ctx.dir.path, KEPT_CHECKPOINT_FILE),
    });
    try {
      return await ledger.verify();
    } finally {
      await ledger.close();
      await backend.close();
    }
  };

  it('indexes events the cache does not hold in memory and stores none of their nodes', async () => {
    await seedPlans(ctx.store, 8);
    expect((await ctx.ledger.checkpointNow()).checkpoint?.treeSize).toBe(24);
    await seedPlans(ctx.store, 2, 'later');
    const rows = merkleRows();
    const report = await verifyReadOnly();
    expect(report).toMatchObject({ ok: true, eventsChecked: 30, checkpointsChecked: 1 });
    expect(merkleRows()).toEqual(rows);
    // The writable services work out the same root over the same events, and store the nodes they index.
    expect((await ctx.ledger.verify()).rootHash).toBe(report.rootHash);
    expect(merkleRows().length).toBeGreaterThan(rows.length);
  });

  it('names a damaged node at the edge of the indexed tree on every run, and leaves it as it was', async () => {
    await seedPlans(ctx.store, 8);
    expect((await ctx.ledger.checkpointNow()).checkpoint?.treeSize).toBe(24);
    await seedPlans(ctx.store, 2, 'later');
    const db = openAsAttacker(ctx.file);
    expect(db.prepare('UPDATE merkle_nodes SET hash = ? WHERE level = 3 AND idx = 2').run(Buffer.alloc(32, 0x24)).changes).toBe(1);
    db.close();
    const rows = merkleRows();
    for (let run = 0; run < 2; run++) {
      expect((await verifyReadOnly()).failure).toMatchObject({ kind: 'merkle-node-mismatch', position: '16', found: '24'.repeat(32) });
      expect(merkleRows()).toEqual(rows);
    }
  });
});
