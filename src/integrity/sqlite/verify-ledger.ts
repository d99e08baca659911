import type { KeyObject } from 'node:crypto';
import type { Db } from '../../store/sqlite/connection.ts';
import { checkpointSignatureValid, type Checkpoint } from '../checkpoint.ts';
import { GENESIS_HASH, hashCanonicalEvent, hashEvent } from '../event-hash.ts';
import { fromHex, leafHash, verifyConsistency } from '../merkle.ts';
import { CompactRange } from '../merkle-proofs.ts';
import type { IntegrityFailure, ProgressListener, VerifyReport } from '../verify-report.ts';
import type { TreeIndex } from './tree-index.ts';

type Row = [number, string, number, string, string, number, string, string, string, string | null, number];

const PAGE = 5_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class Failed extends Error {
  constructor(readonly failure: IntegrityFailure) {
    super(failure.message);
  }
}

/** The query columns are copies of fields in the stored event; each must still agree with it. */
const COLUMN_FIELDS = [
  [3, 'event_id', 'eventId'],
  [4, 'type', 'type'],
  [5, 'schema_version', 'schemaVersion'],
  [6, 'recorded_at', 'recordedAt'],
  [7, 'command_id', 'commandId'],
] as const;

/** SQLite compares the columns with the stored JSON in C, so the JavaScript loop parses only a row that disagrees. */
const COLUMNS_AGREE = COLUMN_FIELDS.map(([, column, field]) => `json_extract(body, '$.${field}') IS ${column}`).join(' AND ');

export interface VerifyLedgerOptions {
  /** A connection of its own: verification reads one snapshot, inside a read transaction. */
  db: Db;
  /** The tree index, caught up, for the consistency proofs between checkpoints. */
  tree: TreeIndex;
  publicKey: KeyObject;
  onProgress?: ProgressListener;
}

/**
 * Recomputes everything from the stored event JSON, trusting no stored hash: every stream's
 * chain, the query columns, the Merkle root at every signed checkpoint, every signature, and
 * a consistency proof between each pair of successive checkpoints. Stops at the first failure.
 */
export const verifyLedger = async ({ db, tree, publicKey, onProgress }: VerifyLedgerOptions): Promise<VerifyReport> => {
  const report: VerifyReport = { ok: false, eventsChecked: 0, streamsChecked: 0, checkpointsChecked: 0, treeSize: 0 };
  const heads = new Map<string, { revision: number; hash: string }>();
  db.exec('BEGIN');
  try {
    const checkpoints = db
      .prepare<[], Checkpoint>('SELECT tree_size AS treeSize, root_hash AS rootHash, issued_at AS issuedAt, key_id AS keyId, signature FROM checkpoints ORDER BY tree_size')
      .all();
    const total = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()!.n;
    report.treeSize = total;
    for (const c of checkpoints) {
      if (!checkpointSignatureValid(c, publicKey)) {
        throw new Failed({ kind: 'checkpoint-signature-invalid', checkpointTreeSize: c.treeSize, message: `checkpoint ${c.treeSize} (key ${c.keyId}) is not signed by the ledger key`, found: c.signature });
      }
    }
    const page = db
      .prepare<[number, number]>(
        `SELECT position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body, hash, ${COLUMNS_AGREE}
         FROM events WHERE position >= ? ORDER BY position LIMIT ?`,
      )
      .raw(true);
    const range = new CompactRange();
    let nextCheckpoint = 0;
    for (;;) {
      const rows = page.all(range.size, PAGE) as Row[];
      for (const row of rows) {
        const [position, stream, revision, , , , , , body, storedHash, columnsAgree] = row;
        const at = { stream, revision: String(revision), position: String(position) };
        if (position !== range.size) {
          throw new Failed({ kind: 'position-gap', ...at, message: `no event at position ${range.size}: the next stored event is at ${position}`, expected: String(range.size), found: String(position) });
        }
        const head = heads.get(stream);
        const expectedRevision = head ? head.revision + 1 : 0;
        if (revision !== expectedRevision) {
          throw new Failed({ kind: 'revision-gap', ...at, message: `stream ${stream} goes from revision ${expectedRevision - 1} to ${revision}: events were removed or reordered`, expected: String(expectedRevision), found: String(revision) });
        }
        const link = { stream, revision, previousHash: head?.hash ?? GENESIS_HASH };
        let hash = hashCanonicalEvent(body, link);
        // A body stored before canonical storage hashes through its canonical form instead.
        if (hash !== storedHash) hash = hashEvent(JSON.parse(body) as Record<string, unknown>, link);
        if (hash !== storedHash) {
          throw new Failed({ kind: 'event-hash-mismatch', ...at, message: `the stored event does not hash to its chain hash: its content, or the hash, was changed`, expected: storedHash ?? '(none)', found: hash });
        }
        const event = columnsAgree === 1 ? {} : (JSON.parse(body) as Record<string, unknown>);
        for (const [i, column, field] of columnsAgree === 1 ? [] : COLUMN_FIELDS) {
          if (row[i] !== event[field]) {
            throw new Failed({ kind: 'column-mismatch', ...at, message: `column ${column} says ${JSON.stringify(row[i])} but the event says ${JSON.stringify(event[field])}`, expected: String(event[field]), found: String(row[i]) });
          }
        }
        heads.set(stream, { revision, hash });
        range.push(leafHash(Buffer.from(hash, 'hex')));
        report.eventsChecked++;
        while (checkpoints[nextCheckpoint]?.treeSize === range.size) {
          const c = checkpoints[nextCheckpoint]!;
          const root = range.root().toString('hex');
          if (root !== c.rootHash) {
            throw new Failed({ kind: 'checkpoint-root-mismatch', ...at, checkpointTreeSize: c.treeSize, message: `the first ${c.treeSize} events no longer hash to checkpoint ${c.treeSize}'s signed root: history up to position ${c.treeSize - 1} was rewritten, reordered or replaced`, expected: c.rootHash, found: root });
          }
          nextCheckpoint++;
          report.checkpointsChecked++;
        }
      }
      onProgress?.(report.eventsChecked, total);
      if (rows.length < PAGE) break;
      await yieldToEventLoop();
    }
    const beyond = checkpoints[nextCheckpoint];
    if (beyond) {
      throw new Failed({ kind: 'checkpoint-beyond-ledger', checkpointTreeSize: beyond.treeSize, position: String(range.size), message: `checkpoint ${beyond.treeSize} was signed over ${beyond.treeSize} events but the ledger holds only ${range.size}: events were removed from the end`, expected: String(beyond.treeSize), found: String(range.size) });
    }
    checkConsistency(checkpoints, tree);
    report.rootHash = range.root().toString('hex');
    report.streamsChecked = heads.size;
    report.ok = true;
    return report;
  } catch (error) {
    if (!(error instanceof Failed)) throw error;
    report.streamsChecked = heads.size;
    report.failure = error.failure;
    return report;
  } finally {
    db.exec('COMMIT');
  }
};

/** RFC 9162 consistency between each pair of successive checkpoints, from the stored tree. */
const checkConsistency = (checkpoints: Checkpoint[], tree: TreeIndex): void => {
  for (let i = 1; i < checkpoints.length; i++) {
    const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
    let proof: Buffer[];
    try {
      proof = tree.consistencyProof(a.treeSize, b.treeSize);
    } catch (error) {
      throw new Failed({ kind: 'tree-index-damaged', checkpointTreeSize: b.treeSize, message: `no consistency proof from ${a.treeSize} to ${b.treeSize}: ${(error as Error).message}` });
    }
    const consistent = verifyConsistency({ firstSize: a.treeSize, secondSize: b.treeSize, firstRoot: fromHex(a.rootHash), secondRoot: fromHex(b.rootHash), proof });
    if (!consistent) {
      throw new Failed({ kind: 'checkpoint-inconsistent', checkpointTreeSize: b.treeSize, message: `checkpoint ${b.treeSize} is not an extension of checkpoint ${a.treeSize}`, expected: a.rootHash, found: b.rootHash });
    }
  }
};
