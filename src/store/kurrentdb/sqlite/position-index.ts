import Database from 'better-sqlite3';

/** A stored Merkle subtree (the integrity port's MerkleNode, structurally). */
type MerkleNode = { level: number; index: number; hash: Buffer };

/**
 * One ledger event's place: its dense ledger position (0, 1, 2, … in `$all` order), where the
 * engine keeps it, its chain hash (the Merkle leaf), and the ledger time there.
 */
export interface IndexEntry {
  position: bigint;
  commit: bigint;
  prepare: bigint;
  eventId: string;
  stream: string;
  revision: bigint;
  hash: string;
  /**
   * The latest recordedAt of the events up to this one, in `$all` order: what an `asOf` is
   * compared with. KurrentDB keeps each event's recordedAt as its writer stamped it, and a command
   * stamped a moment before another may commit after it (the evidence file it waits for, another
   * instance's clock), so recordedAt alone can go down along the ledger. The running maximum never
   * does, is the same on every instance (the order of `$all` fixes it), and is what the embedded
   * store records as recordedAt itself for the same appends (ledger-time.ts).
   */
  ledgerTime: string;
}

interface Row {
  position: bigint;
  commit_position: bigint;
  prepare_position: bigint;
  event_id: string;
  stream: string;
  revision: bigint;
  hash: string;
  ledger_time: string;
}

const toEntry = (row: Row): IndexEntry => ({
  position: row.position,
  commit: row.commit_position,
  prepare: row.prepare_position,
  eventId: row.event_id,
  stream: row.stream,
  revision: row.revision,
  hash: row.hash,
  ledgerTime: row.ledger_time,
});

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ledger_index (
    position         INTEGER PRIMARY KEY CHECK (position >= 0),
    commit_position  INTEGER NOT NULL,
    prepare_position INTEGER NOT NULL,
    event_id         TEXT    NOT NULL UNIQUE,
    stream           TEXT    NOT NULL,
    revision         INTEGER NOT NULL CHECK (revision >= 0),
    hash             TEXT    NOT NULL,
    ledger_time      TEXT    NOT NULL,
    UNIQUE (stream, revision)
  ) STRICT;
  -- An asOf's position in one search (lastRecordedBy): the ledger time never decreases along the positions.
  CREATE INDEX IF NOT EXISTS ledger_index_by_time ON ledger_index (ledger_time);
  -- The Merkle tree's perfect subtrees of level >= 1 over the hashes above: derived, as the index is.
  CREATE TABLE IF NOT EXISTS merkle_nodes (
    level INTEGER NOT NULL CHECK (level >= 1),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    hash  BLOB    NOT NULL,
    PRIMARY KEY (level, idx)
  ) STRICT, WITHOUT ROWID;
`;

/**
 * An index file laid out before entries kept their ledger time (an earlier release's, put at this
 * name) cannot answer an `asOf`: its entries and the Merkle nodes over them are dropped, to be
 * indexed again from the engine, as an index of another ledger is. Looked at under the write lock,
 * as another instance sharing the file may be doing the same. Returns the line that says so.
 */
const dropEntriesWithoutLedgerTime = (db: Database.Database, file: string): string | undefined =>
  db
    .transaction((): string | undefined => {
      const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('ledger_index')").all();
      if (columns.length === 0 || columns.some((c) => c.name === 'ledger_time')) return undefined;
      db.exec('DROP TABLE ledger_index; DROP TABLE IF EXISTS merkle_nodes;');
      return `the position index ${file} was laid out before it kept each event's ledger time: it is indexed again from the engine`;
    })
    .immediate();

/**
 * Lays out the file, giving one written by an earlier release the index of its entries by ledger time, which takes a
 * while on a large ledger (under the write lock): returns the line that says how long, when it did.
 */
const indexByTime = (db: Database.Database, file: string): string | undefined => {
  const named = (name: string) => db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(name) !== undefined;
  const entries =
    named('ledger_index') && !named('ledger_index_by_time')
      ? (db.prepare('SELECT coalesce(max(position) + 1, 0) AS n FROM ledger_index').get() as { n: bigint }).n
      : 0n;
  const started = performance.now();
  db.exec(SCHEMA);
  if (entries === 0n) return undefined;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `the position index ${file} was laid out before it was indexed by ledger time: indexed its ${entries} entries so in ${seconds} s`;
};

/**
 * The dense position index of a ledger kept in KurrentDB: a local, derived file that any
 * instance can delete and rebuild from the engine (the order of `$all` fixes every position).
 * KurrentDB's own positions are byte offsets in its log, sparse and shared with everything
 * else the engine holds; the Merkle tree, `minPosition` and the projections need 0..n-1.
 *
 * Written only by the indexer (position-indexer.ts), in whole batches; `extend` refuses a
 * batch when another process sharing the file got there first, so two writers cannot
 * interleave.
 */
export const openPositionIndex = (file: string) => {
  const db = new Database(file, { timeout: 5000 });
  db.defaultSafeIntegers(true);
  db.pragma('journal_mode = WAL');
  // A derived cache: losing the last batches to a power cut only means reading them again.
  db.pragma('synchronous = NORMAL');
  const rebuiltBecause = dropEntriesWithoutLedgerTime(db, file);
  const indexedByTime = indexByTime(db, file);
  const s = {
    // Positions are dense from 0, so the largest plus one is the count, read from the primary key's b-tree.
    size: db.prepare<[], { n: bigint }>('SELECT coalesce(max(position) + 1, 0) AS n FROM ledger_index'),
    last: db.prepare<[], Row>('SELECT * FROM ledger_index ORDER BY position DESC LIMIT 1'),
    at: db.prepare<[bigint], Row>('SELECT * FROM ledger_index WHERE position = ?'),
    range: db.prepare<[bigint, number], Row>('SELECT * FROM ledger_index WHERE position >= ? ORDER BY position LIMIT ?'),
    // INDEXED BY, so that a file without the index fails here rather than scanning every entry.
    lastRecordedBy: db.prepare<[string], { position: bigint }>(
      `SELECT position FROM ledger_index INDEXED BY ledger_index_by_time
       WHERE ledger_time <= ? ORDER BY ledger_time DESC, position DESC LIMIT 1`,
    ),
    byEventId: db.prepare<[string], Row>('SELECT * FROM ledger_index WHERE event_id = ?'),
    streamEntry: db.prepare<[string, bigint], Row>('SELECT * FROM ledger_index WHERE stream = ? AND revision = ?'),
    streamHead: db.prepare<[string], Row>('SELECT * FROM ledger_index WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
    streamRange: db.prepare<[string, bigint, bigint], Row>(
      'SELECT * FROM ledger_index WHERE stream = ? AND revision BETWEEN ? AND ? ORDER BY revision',
    ),
    streamCountBefore: db.prepare<[bigint], { n: bigint }>('SELECT count(DISTINCT stream) AS n FROM ledger_index WHERE position < ?'),
    // Each stream's last event after `after`, by the (stream, revision) index.
    streamHeads: db.prepare<[string, number], Row>(
      `SELECT i.* FROM ledger_index i
       JOIN (SELECT stream, max(revision) AS revision FROM ledger_index WHERE stream > ? GROUP BY stream ORDER BY stream LIMIT ?) last
         ON i.stream = last.stream AND i.revision = last.revision
       ORDER BY i.stream`,
    ),
    node: db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?').safeIntegers(false),
    lastPair: db.prepare<[], { idx: number | null }>('SELECT max(idx) AS idx FROM merkle_nodes WHERE level = 1').safeIntegers(false),
    insertNode: db.prepare<[number, number, Buffer]>('INSERT OR IGNORE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    replaceNode: db.prepare<[number, number, Buffer]>('INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    nodesBeyond: db
      .prepare<[number], MerkleNode>(
        'SELECT level, idx AS "index", hash FROM merkle_nodes WHERE ((idx + 1) << level) > ? ORDER BY level, idx',
      )
      .safeIntegers(false),
    dropNode: db.prepare<[number, number]>('DELETE FROM merkle_nodes WHERE level = ? AND idx = ?'),
    nodesAt: db
      .prepare<[number, number, number], MerkleNode>(
        'SELECT level, idx AS "index", hash FROM merkle_nodes WHERE level = ? AND idx >= ? ORDER BY idx LIMIT ?',
      )
      .safeIntegers(false),
    insert: db.prepare<[bigint, bigint, bigint, string, string, bigint, string, string]>(
      'INSERT INTO ledger_index (position, commit_position, prepare_position, event_id, stream, revision, hash, ledger_time) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const one = (row: Row | undefined) => (row ? toEntry(row) : undefined);
  const extend = db.transaction((entries: IndexEntry[], expectedSize: bigint): boolean => {
    if (s.size.get()!.n !== expectedSize) return false;
    for (const e of entries) s.insert.run(e.position, e.commit, e.prepare, e.eventId, e.stream, e.revision, e.hash, e.ledgerTime);
    return true;
  });

  const clear = db.transaction(() => {
    db.prepare('DELETE FROM merkle_nodes').run();
    db.prepare('DELETE FROM ledger_index').run();
  });

  const storeNodes = db.transaction((nodes: MerkleNode[]): MerkleNode[] => {
    const differing: MerkleNode[] = [];
    for (const { level, index, hash } of nodes) {
      if (s.insertNode.run(level, index, hash).changes === 1) continue;
      // Already there: stored by an earlier run (the same hash) or damaged.
      const stored = s.node.get(level, index)?.hash;
      if (stored && !stored.equals(hash)) differing.push({ level, index, hash: stored });
    }
    return differing;
  });
  const replaceNodes = db.transaction((nodes: MerkleNode[]) => {
    for (const { level, index, hash } of nodes) s.replaceNode.run(level, index, hash);
  });
  const pruneNodes = db.transaction((size: number): MerkleNode[] => {
    const beyond = s.nodesBeyond.all(size);
    for (const node of beyond) s.dropNode.run(node.level, node.index);
    return beyond;
  });

  return {
    file,
    /** Why the file's entries were dropped at open, to be indexed again (one line for the log), if they were. */
    rebuiltBecause,
    /** That the file's entries were indexed by ledger time at open, and how long it took (one line for the log), if they were. */
    indexedByTime,
    /** How many ledger events are indexed: the next dense position. */
    size: (): bigint => s.size.get()!.n,
    last: (): IndexEntry | undefined => one(s.last.get()),
    at: (position: bigint): IndexEntry | undefined => one(s.at.get(position)),
    range: (from: bigint, limit: number): IndexEntry[] => s.range.all(from, limit).map(toEntry),
    /** The last position whose ledger time is at or before an ISO instant, or undefined when none is. */
    lastRecordedBy: (instant: string): bigint | undefined => s.lastRecordedBy.get(instant)?.position,
    byEventId: (eventId: string): IndexEntry | undefined => one(s.byEventId.get(eventId)),
    streamEntry: (stream: string, revision: bigint): IndexEntry | undefined => one(s.streamEntry.get(stream, revision)),
    streamHead: (stream: string): IndexEntry | undefined => one(s.streamHead.get(stream)),
    /** A stream's entries from `from` to `to` revision, inclusive. */
    streamRange: (stream: string, from: bigint, to: bigint): IndexEntry[] => s.streamRange.all(stream, from, to).map(toEntry),
    /** Adds entries after exactly `expectedSize` indexed events, atomically; false when the file holds another count. */
    extend: (entries: IndexEntry[], expectedSize: bigint): boolean => extend.immediate(entries, expectedSize),
    /** How many streams the first `size` events belong to. */
    streamCountBefore: (size: bigint): bigint => s.streamCountBefore.get(size)!.n,
    /** Up to `limit` streams' last entries, in stream-name order, after the stream named `after`. */
    streamHeads: (after: string, limit: number): IndexEntry[] => s.streamHeads.all(after, limit).map(toEntry),
    merkle: {
      node: (level: number, index: number): Buffer | undefined => s.node.get(level, index)?.hash,
      /** Level-1 nodes exist for every complete pair, so twice their count is a size whose whole decomposition is stored. */
      indexedSize: (): number => {
        const idx = s.lastPair.get()!.idx;
        return idx === null ? 0 : (idx + 1) * 2;
      },
      /**
       * Stores nodes atomically; one already stored is kept, and handed back where it differs (every node is a pure function of
       * the hashes, so that is damage).
       */
      store: (nodes: MerkleNode[]): MerkleNode[] => (nodes.length > 0 ? storeNodes.immediate(nodes) : []),
      /** Overwrites damaged nodes with the recomputed ones. */
      replace: (nodes: MerkleNode[]): void => {
        if (nodes.length > 0) replaceNodes.immediate(nodes);
      },
      /** Stored nodes of one level, from an index on: what verify reads to recompute them all. */
      nodesAt: (level: number, fromIndex: number, limit: number): MerkleNode[] => s.nodesAt.all(level, fromIndex, limit),
      /** Drops nodes over leaves at or beyond `size`, and returns them. */
      prune: (size: number): MerkleNode[] => pruneNodes.immediate(size),
    },
    /** Forgets every entry and node: the index is then rebuilt from the engine by the next catch-up. */
    clear: (): void => clear.immediate(),
    close: (): void => {
      db.close();
    },
  };
};
export type PositionIndex = ReturnType<typeof openPositionIndex>;
