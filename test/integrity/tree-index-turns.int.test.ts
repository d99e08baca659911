import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, leafHash } from '../../src/integrity/merkle.ts';
import { CompactRange } from '../../src/integrity/merkle-proofs.ts';
import type { IntegrityStore } from '../../src/integrity/port.ts';
import { createSqliteIntegrityStore } from '../../src/integrity/sqlite/integrity-store.ts';
import { LedgerDamaged, TreeIndex } from '../../src/integrity/tree-index.ts';
import { openLedgerFile } from '../../src/store/sqlite/ledger-file.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * A ledger long enough for the tree to be indexed in several turns and several stores
 * (src/integrity/tree-index.ts: 2,000 leaves a turn, nodes stored every 20,000): what it stores
 * must be the tree of every event, however the work was cut.
 */
const EVENTS = 45_123;
const dir = makeTempDir('ledger-tree-turns-');
let integrity: IntegrityStore;
let hashes: string[];

beforeAll(async () => {
  const store = openSqliteEventStore({ file: dir.file('ledger.db') });
  await generatePlanLedger(store, { events: EVENTS, plans: 20, perAppend: 200 });
  await store.close();
  integrity = createSqliteIntegrityStore({ db: openLedgerFile(dir.file('ledger.db')), file: dir.file('ledger.db') });
  hashes = (await integrity.leafHashes(0n, EVENTS + 1)).map((row) => row.hash!);
  expect(hashes).toHaveLength(EVENTS);
}, 120_000);

afterAll(async () => {
  await integrity.close();
  dir.remove();
});

/** The root of the first `size` events, computed here from their chain hashes alone. */
const rootOf = (size: number) => {
  const range = new CompactRange();
  for (const hash of hashes.slice(0, size)) range.push(leafHash(fromHex(hash)), () => undefined);
  return range.root();
};

describe('indexing the Merkle tree of a long ledger', () => {
  it('stores every node of the whole ledger, 20,000 leaves a commit, and its root is the root of every event', async () => {
    const stores: number[] = [];
    const nodes = integrity.merkleNodes;
    const tree = new TreeIndex(integrity, {
      ...nodes,
      store: (completed) => {
        stores.push(completed.length);
        return nodes.store(completed);
      },
    });
    expect(await tree.catchUp()).toBe(EVENTS);
    // Three stores of about 20,000 leaves' nodes each (a leaf completes about one node), the last the rest.
    expect(stores).toHaveLength(3);
    expect(stores.slice(0, 2).every((n) => n >= 19_990 && n <= 20_010)).toBe(true);
    expect(nodes.indexedSize()).toBe(EVENTS - 1);
    expect(tree.root(EVENTS)).toEqual(rootOf(EVENTS));
    expect(tree.root(30_000)).toEqual(rootOf(30_000));
    // A ledger that grows by a few events is indexed by one more short store.
    expect(await tree.catchUp()).toBe(EVENTS);
  });

  it('stores nothing past a leaf it cannot hash, and keeps what it stored before it', async () => {
    const db = openLedgerFile(dir.file('ledger.db'));
    const fresh = makeTempDir('ledger-tree-damaged-');
    try {
      // A copy of the ledger without its node cache, and an event without its chain hash at 30,000.
      db.prepare('VACUUM INTO ?').run(fresh.file('ledger.db'));
      const copy = openLedgerFile(fresh.file('ledger.db'));
      copy.exec('DELETE FROM merkle_nodes');
      // Damage as someone editing the file by hand would do it: the append-only trigger dropped first.
      copy.exec('DROP TRIGGER events_append_only_update');
      copy.prepare('UPDATE events SET hash = NULL WHERE position = 30000').run();
      copy.close();
      const damaged = createSqliteIntegrityStore({ db: openLedgerFile(fresh.file('ledger.db')), file: fresh.file('ledger.db') });
      try {
        await expect(new TreeIndex(damaged, damaged.merkleNodes).catchUp()).rejects.toThrow(LedgerDamaged);
        expect(damaged.merkleNodes.indexedSize()).toBe(20_000);
      } finally {
        await damaged.close();
      }
    } finally {
      db.close();
      fresh.remove();
    }
  });
});
