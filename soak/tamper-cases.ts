import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { join } from 'node:path';
import { hashEvent } from '../src/integrity/event-hash.ts';
import type { SeedFacts } from './tamper-seed.ts';

/**
 * One attack on a fresh copy of the seed data dir. `caught`: verify must name it (any failure
 * counts; the kinds listed are the ones expected). `documented`: verify cannot see it, for the
 * reason given (docs/soak.md lists them); if verify names it anyway, so much the better.
 */
export interface TamperCase {
  file: string;
  name: string;
  expect: { caught: string[] } | { documented: string };
  tamper: (dir: string, seed: SeedFacts) => void;
}

/** Opens a database of the data dir as an attacker: triggers dropped for the edit and put back after, leaving no mark. */
const attack = (dir: string, file: string, edit: (db: Database.Database) => void, leaveTriggersDropped = false) => {
  const db = new Database(join(dir, file));
  const triggers = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all();
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  edit(db);
  if (!leaveTriggersDropped) for (const { sql } of triggers) db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
};

const onLedger = (edit: (db: Database.Database, seed: SeedFacts) => void) => (dir: string, seed: SeedFacts) =>
  attack(dir, 'ledger.db', (db) => edit(db, seed));

const caught = (...kinds: string[]) => ({ caught: kinds });

/** A stream rewritten from `revision` on with every hash recomputed: its chain holds again. */
const rewriteStream = (db: Database.Database, stream: string, edit: (event: Record<string, unknown>) => void) => {
  const rows = db
    .prepare<[string], { position: number; revision: number; body: string }>(
      'SELECT position, revision, body FROM events WHERE stream = ? ORDER BY revision',
    )
    .all(stream);
  let previousHash = '0'.repeat(64);
  for (const row of rows) {
    const event = JSON.parse(row.body) as Record<string, unknown>;
    if (row.revision === 1) edit(event);
    const hash = hashEvent(event as never, { stream, revision: row.revision, previousHash });
    db.prepare('UPDATE events SET body = ?, hash = ? WHERE position = ?').run(JSON.stringify(event), hash, row.position);
    previousHash = hash;
  }
};

/** The events from `size` on deleted, with the checkpoints signed over them and the Merkle nodes: a shorter ledger. */
const cutOffEnd = (db: Database.Database, size: number) => {
  db.prepare('DELETE FROM events WHERE position >= ?').run(size);
  db.prepare('DELETE FROM checkpoints WHERE tree_size > ?').run(size);
  db.exec('DELETE FROM merkle_nodes');
};

/** One byte of a page of `table` (or index) changed in the file itself. */
const flipInPage = (dir: string, object: string, find: (page: Buffer) => number) => {
  const file = join(dir, 'ledger.db');
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const { rootpage } = db.prepare<[string], { rootpage: number }>('SELECT rootpage FROM sqlite_master WHERE name = ?').get(object)!;
  db.close();
  const bytes = fs.readFileSync(file);
  const page = bytes.subarray((rootpage - 1) * pageSize, rootpage * pageSize);
  const at = find(page);
  page[at] = page[at] === 0x61 ? 0x62 : 0x61;
  fs.writeFileSync(file, bytes);
};

/** One byte of the ledger file changed, wherever `find` points in it. */
const flipInFile = (dir: string, find: (bytes: Buffer) => number) => {
  const file = join(dir, 'ledger.db');
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const bytes = fs.readFileSync(file);
  const at = find(bytes);
  bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61;
  fs.writeFileSync(file, bytes);
};

/** The first cell pointer of a table's root page (after its 8- or 12-byte header) pointed past the page. */
const breakRootPage = (dir: string, table: string) =>
  flipInPage(dir, table, (page) => {
    const header = page[0] === 0x05 ? 12 : 8;
    page[header] = 0xff;
    return header + 1;
  });

const ledgerCases: TamperCase[] = [
  {
    file: 'ledger.db',
    name: "events.body: one character of an event's data",
    expect: caught('event-hash-mismatch'),
    tamper: onLedger((db, s) =>
      db.prepare('UPDATE events SET body = replace(body, \'"narrative":"\', \'"narrative":"X\') WHERE position = ?').run(s.position),
    ),
  },
  {
    file: 'ledger.db',
    name: 'events.body: recordedAt inside the event',
    expect: caught('event-hash-mismatch'),
    tamper: onLedger((db, s) =>
      db.prepare("UPDATE events SET body = json_set(body, '$.recordedAt', '2015-01-01T00:00:00.000Z') WHERE position = ?").run(s.position),
    ),
  },
  {
    file: 'ledger.db',
    name: 'events.hash',
    expect: caught('event-hash-mismatch'),
    tamper: onLedger((db, s) => db.prepare('UPDATE events SET hash = ? WHERE position = ?').run('ab'.repeat(32), s.position)),
  },
  {
    file: 'ledger.db',
    name: 'events.position: a row deleted',
    expect: caught('position-gap'),
    tamper: onLedger((db, s) => db.prepare('DELETE FROM events WHERE position = ?').run(s.position)),
  },
  {
    file: 'ledger.db',
    name: 'events.position: neighbours of two plans swapped',
    expect: caught('checkpoint-root-mismatch'),
    tamper: onLedger((db, s) =>
      db.exec(
        `UPDATE events SET position = 100000000 WHERE position = ${s.neighbours[0]}; UPDATE events SET position = ${s.neighbours[0]} WHERE position = ${s.neighbours[1]}; UPDATE events SET position = ${s.neighbours[1]} WHERE position = 100000000`,
      ),
    ),
  },
  {
    file: 'ledger.db',
    name: 'events.stream',
    expect: caught('revision-gap', 'event-hash-mismatch'),
    tamper: onLedger((db, s) => db.prepare("UPDATE events SET stream = 'plan-elsewhere' WHERE position = ?").run(s.position)),
  },
  {
    file: 'ledger.db',
    name: 'events.revision',
    expect: caught('revision-gap'),
    tamper: onLedger((db, s) => db.prepare('UPDATE events SET revision = revision + 1000 WHERE position = ?').run(s.position)),
  },
  ...(['event_id', 'type', 'recorded_at', 'command_id'] as const).map((column): TamperCase => ({
    file: 'ledger.db',
    name: `events.${column} (a query column)`,
    expect: caught('column-mismatch'),
    tamper: onLedger((db, s) => db.prepare(`UPDATE events SET ${column} = ${column} || 'x' WHERE position = ?`).run(s.position)),
  })),
  {
    file: 'ledger.db',
    name: 'events.schema_version (a query column)',
    expect: caught('column-mismatch'),
    tamper: onLedger((db, s) => db.prepare('UPDATE events SET schema_version = schema_version + 1 WHERE position = ?').run(s.position)),
  },
  {
    file: 'ledger.db',
    name: 'events: the end cut off, past the latest checkpoint',
    expect: caught('checkpoint-beyond-ledger', 'kept-checkpoint-beyond-ledger'),
    tamper: onLedger((db, s) => db.prepare('DELETE FROM events WHERE position >= ?').run(s.checkpoints.at(-1)! - 2)),
  },
  {
    file: 'ledger.db',
    name: 'events: the end cut off at a checkpoint, with the checkpoints over it and the kept copy',
    expect: caught('command-result-past-end'),
    tamper: (dir, s) => (onLedger((db) => cutOffEnd(db, s.checkpoints.at(-2)!))(dir, s), fs.rmSync(join(dir, 'ledger-checkpoint.json'))),
  },
  {
    file: 'ledger.db',
    name: 'events: the end cut off at a checkpoint, with the checkpoints over it, the kept copy and the stored results of its commands',
    expect: {
      documented:
        'nothing left in the data directory names the events cut off: only a checkpoint kept outside it (ledger verify --checkpoint) shows they were there',
    },
    tamper: (dir, s) => (
      onLedger(
        (db) => (
          cutOffEnd(db, s.checkpoints.at(-2)!),
          db.prepare("DELETE FROM commands WHERE CAST(json_extract(result, '$.firstPosition') AS INTEGER) >= ?").run(s.checkpoints.at(-2)!)
        ),
      )(dir, s),
      fs.rmSync(join(dir, 'ledger-checkpoint.json'))
    ),
  },
  {
    file: 'ledger.db',
    name: 'events: a plan rewritten with fresh hashes',
    expect: caught('checkpoint-root-mismatch'),
    tamper: onLedger((db, s) => rewriteStream(db, s.stream, (e) => ((e.data as Record<string, unknown>).narrative = 'rewritten'))),
  },
  {
    file: 'ledger.db',
    name: 'events: a plan rewritten with fresh hashes and every checkpoint row deleted (the kept copy still there)',
    expect: caught('kept-checkpoint-root-mismatch'),
    tamper: onLedger(
      (db, s) => (
        rewriteStream(db, s.stream, (e) => ((e.data as Record<string, unknown>).narrative = 'rewritten')),
        db.exec('DELETE FROM checkpoints')
      ),
    ),
  },
  {
    file: 'ledger.db',
    name: 'events: a plan rewritten with fresh hashes, every checkpoint row and the kept copy deleted (the Merkle node cache left)',
    expect: caught('merkle-node-mismatch'),
    tamper: (dir, s) => {
      onLedger(
        (db) => (
          rewriteStream(db, s.stream, (e) => ((e.data as Record<string, unknown>).narrative = 'rewritten')),
          db.exec('DELETE FROM checkpoints')
        ),
      )(dir, s);
      fs.rmSync(join(dir, 'ledger-checkpoint.json'));
    },
  },
  {
    file: 'ledger.db',
    name: 'events: a plan rewritten with fresh hashes, every checkpoint row, the Merkle node cache and the kept copy deleted',
    expect: {
      documented:
        'nothing left in the data dir was signed over, or derived from, the old history: only a checkpoint kept outside it (ledger verify --checkpoint) shows the rewrite',
    },
    tamper: (dir, s) => {
      onLedger(
        (db) => (
          rewriteStream(db, s.stream, (e) => ((e.data as Record<string, unknown>).narrative = 'rewritten')),
          db.exec('DELETE FROM checkpoints; DELETE FROM merkle_nodes')
        ),
      )(dir, s);
      fs.rmSync(join(dir, 'ledger-checkpoint.json'));
    },
  },
  {
    file: 'ledger.db',
    name: 'events: the unsigned tail (after the latest checkpoint) rewritten with fresh hashes',
    expect: {
      documented:
        'events after the latest checkpoint are covered by their chains alone until the next checkpoint signs them (every 60 s by default)',
    },
    tamper: onLedger((db, s) => {
      const tail = db
        .prepare<[number], { stream: string; revision: number; position: number; body: string }>(
          'SELECT stream, revision, position, body FROM events WHERE position >= ? ORDER BY position',
        )
        .all(s.checkpoints.at(-1)!);
      for (const row of tail) {
        const previousHash =
          db
            .prepare<[string, number], { hash: string }>('SELECT hash FROM events WHERE stream = ? AND revision = ?')
            .get(row.stream, row.revision - 1)?.hash ?? '0'.repeat(64);
        const event = JSON.parse(row.body) as { data: Record<string, unknown> };
        event.data.narrative = 'rewritten tail';
        db.prepare('UPDATE events SET body = ?, hash = ? WHERE position = ?').run(
          JSON.stringify(event),
          hashEvent(event as never, { stream: row.stream, revision: row.revision, previousHash }),
          row.position,
        );
      }
    }),
  },
  {
    file: 'ledger.db',
    name: 'events: the key rotation record edited',
    expect: caught('event-hash-mismatch'),
    tamper: onLedger((db, s) =>
      db.prepare("UPDATE events SET body = json_set(body, '$.data.reason', 'forged') WHERE position = ?").run(s.rotation),
    ),
  },
  {
    file: 'ledger.db',
    name: 'commands.result: event ids',
    expect: caught('command-result-mismatch'),
    tamper: onLedger((db, s) =>
      db
        .prepare(
          "UPDATE commands SET result = json_set(result, '$.eventIds[0]', '00000000-0000-7000-8000-000000000000') WHERE command_id = ?",
        )
        .run(s.commandId),
    ),
  },
  {
    file: 'ledger.db',
    name: 'commands.result: positions',
    expect: caught('command-result-mismatch'),
    tamper: onLedger((db, s) =>
      db.prepare("UPDATE commands SET result = json_set(result, '$.firstPosition', '0') WHERE command_id = ?").run(s.commandId),
    ),
  },
  {
    file: 'ledger.db',
    name: 'commands.result: the revision it ended at',
    expect: caught('command-result-mismatch'),
    tamper: onLedger((db, s) =>
      db.prepare("UPDATE commands SET result = json_set(result, '$.nextExpectedRevision', '99') WHERE command_id = ?").run(s.commandId),
    ),
  },
  {
    file: 'ledger.db',
    name: 'commands.stream',
    expect: caught('command-result-mismatch'),
    tamper: onLedger((db, s) => db.prepare("UPDATE commands SET stream = 'plan-elsewhere' WHERE command_id = ?").run(s.commandId)),
  },
  {
    file: 'ledger.db',
    name: 'commands.command_id',
    expect: caught('command-result-missing'),
    tamper: onLedger((db, s) => db.prepare("UPDATE commands SET command_id = 'renamed' WHERE command_id = ?").run(s.commandId)),
  },
  {
    file: 'ledger.db',
    name: 'commands: a row deleted',
    expect: caught('command-result-missing'),
    tamper: onLedger((db, s) => db.prepare('DELETE FROM commands WHERE command_id = ?').run(s.commandId)),
  },
  {
    file: 'ledger.db',
    name: 'commands: a row added',
    expect: caught('command-result-mismatch'),
    tamper: onLedger((db, s) =>
      db
        .prepare("INSERT INTO commands SELECT 'forged', stream, replace(result, command_id, 'forged') FROM commands WHERE command_id = ?")
        .run(s.commandId),
    ),
  },
  {
    file: 'ledger.db',
    name: 'commands.result: the request fingerprint',
    expect: {
      documented:
        'a digest of the request a command answered, which no event holds: nothing signed or hashed speaks for it, so only another request with the old key notices (it is then refused or answered as the edit says)',
    },
    tamper: onLedger((db) =>
      db
        .prepare(
          "UPDATE commands SET result = json_set(result, '$.requestFingerprint', 'forged') WHERE json_extract(result, '$.requestFingerprint') IS NOT NULL",
        )
        .run(),
    ),
  },
  {
    file: 'ledger.db',
    name: 'merkle_nodes.hash',
    expect: caught('merkle-node-mismatch'),
    tamper: onLedger((db) => db.prepare('UPDATE merkle_nodes SET hash = ? WHERE level = 1 AND idx = 0').run(Buffer.alloc(32, 7))),
  },
  {
    file: 'ledger.db',
    name: 'merkle_nodes: a node deleted',
    expect: caught('merkle-node-mismatch'),
    tamper: onLedger((db) => db.prepare('DELETE FROM merkle_nodes WHERE level = 2 AND idx = 1').run()),
  },
  {
    file: 'ledger.db',
    name: 'merkle_nodes: a node added for leaves that do not exist',
    expect: caught('merkle-node-mismatch'),
    tamper: onLedger((db) => db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (1, 1000000, ?)').run(Buffer.alloc(32, 9))),
  },
  ...(['root_hash', 'issued_at', 'signature', 'key_id', 'public_key', 'previous_hash'] as const).map((column): TamperCase => ({
    file: 'ledger.db',
    name: `checkpoints.${column}`,
    expect: caught('checkpoint-signature-invalid'),
    tamper: onLedger((db, s) =>
      db
        .prepare(
          `UPDATE checkpoints SET ${column} = CASE WHEN ${column} LIKE '0%' THEN '1' ELSE '0' END || substr(${column}, 2) WHERE tree_size = ?`,
        )
        .run(s.checkpoints[1]!),
    ),
  })),
  {
    file: 'ledger.db',
    name: 'checkpoints.previous_tree_size',
    expect: caught('checkpoint-signature-invalid'),
    tamper: onLedger((db, s) =>
      db.prepare('UPDATE checkpoints SET previous_tree_size = previous_tree_size - 1 WHERE tree_size = ?').run(s.checkpoints[2]!),
    ),
  },
  {
    file: 'ledger.db',
    name: 'checkpoints: the first deleted',
    expect: caught('checkpoint-missing'),
    tamper: onLedger((db, s) => db.prepare('DELETE FROM checkpoints WHERE tree_size = ?').run(s.checkpoints[0]!)),
  },
  {
    file: 'ledger.db',
    name: 'checkpoints: one in the middle deleted',
    expect: caught('checkpoint-missing'),
    tamper: onLedger((db, s) => db.prepare('DELETE FROM checkpoints WHERE tree_size = ?').run(s.checkpoints[2]!)),
  },
  {
    file: 'ledger.db',
    name: 'checkpoints: the latest deleted (the kept copy still there)',
    expect: caught('kept-checkpoint-missing'),
    tamper: onLedger((db, s) => db.prepare('DELETE FROM checkpoints WHERE tree_size = ?').run(s.checkpoints.at(-1)!)),
  },
  {
    file: 'ledger.db',
    name: 'checkpoints: the latest deleted, and the kept copy',
    expect: {
      documented:
        'no later checkpoint names the latest: only a checkpoint kept outside the data dir (ledger verify --checkpoint) shows it was there',
    },
    tamper: (dir, s) => (
      onLedger((db) => db.prepare('DELETE FROM checkpoints WHERE tree_size = ?').run(s.checkpoints.at(-1)!))(dir, s),
      fs.rmSync(join(dir, 'ledger-checkpoint.json'))
    ),
  },
  {
    file: 'ledger.db',
    name: 'sqlite_master: an append-only trigger dropped and left so',
    expect: caught('schema-altered'),
    tamper: (dir) => attack(dir, 'ledger.db', () => undefined, true),
  },
  {
    file: 'ledger.db',
    name: 'file: a byte of an index page',
    expect: caught('storage-damaged'),
    tamper: (dir) => flipInPage(dir, 'sqlite_autoindex_events_1', (page) => page.lastIndexOf(0x2d) - 3),
  },
  {
    file: 'ledger.db',
    name: "file: a byte of an event's data in a table page",
    expect: caught('event-hash-mismatch', 'storage-damaged'),
    tamper: (dir) => flipInFile(dir, (bytes) => bytes.lastIndexOf(Buffer.from('"narrative":"')) + 14),
  },
  {
    file: 'ledger.db',
    name: "file: the events table's root page made unreadable (a cell pointer past the page)",
    expect: caught('storage-damaged'),
    tamper: (dir) => breakRootPage(dir, 'events'),
  },
];

const dataDirCases: TamperCase[] = [
  {
    file: 'ledger-checkpoint.json',
    name: 'the kept checkpoint edited',
    expect: caught('kept-checkpoint-invalid', 'kept-checkpoint-root-mismatch'),
    tamper: (dir) =>
      fs.writeFileSync(
        join(dir, 'ledger-checkpoint.json'),
        fs.readFileSync(join(dir, 'ledger-checkpoint.json'), 'utf8').replace(/"rootHash": "./, '"rootHash": "f'),
      ),
  },
  {
    file: 'ledger-checkpoint.json',
    name: 'the kept checkpoint deleted',
    expect: {
      documented:
        "a copy outside the database raises the bar; its absence is no evidence (the ledger's own checkpoints still verify, and verify says no kept checkpoint was compared)",
    },
    tamper: (dir) => fs.rmSync(join(dir, 'ledger-checkpoint.json')),
  },
  {
    file: 'ledger-signing-key.pem',
    name: 'the signing key replaced',
    expect: caught('untrusted-key', 'checkpoint-signature-invalid', 'kept-checkpoint-invalid'),
    tamper: (dir) =>
      fs.writeFileSync(
        join(dir, 'ledger-signing-key.pem'),
        generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }),
      ),
  },
];

/** What is kept beside the ledger and not in it: verify does not read these, by design. */
const besideCases: TamperCase[] = [
  ...(['role', 'organisation', 'revoked_at', 'hash', 'name'] as const).map((column): TamperCase => ({
    file: 'access.db',
    name: `api_keys.${column}`,
    expect: {
      documented:
        'API keys are not in the ledger: they change in place (a revocation), so nothing signed speaks for them; the file is protected by its permissions, and every write names the key that made it in its event (docs/access-control.md)',
    },
    tamper: (dir) =>
      attack(dir, 'access.db', (db) =>
        db
          .prepare(`UPDATE api_keys SET ${column} = ${column === 'hash' ? 'randomblob(32)' : column === 'revoked_at' ? 'NULL' : "'admin'"}`)
          .run(),
      ),
  })),
  {
    file: 'access.db',
    name: 'api_keys: a row deleted',
    expect: { documented: 'as above: keys are not in the ledger' },
    tamper: (dir) => attack(dir, 'access.db', (db) => db.prepare("DELETE FROM api_keys WHERE role = 'auditor'").run()),
  },
  ...(['status', 'principal_id', 'path'] as const).map((column): TamperCase => ({
    file: 'access-log.db',
    name: `access_log.${column}`,
    expect: {
      documented:
        'the access log is evidence kept beside the ledger, append-only by trigger but not hash-chained or signed: verify does not read it',
    },
    tamper: (dir) =>
      attack(dir, 'access-log.db', (db) =>
        db.prepare(`UPDATE access_log SET ${column} = ${column === 'status' ? '200' : "'forged'"}`).run(),
      ),
  })),
  {
    file: 'access-log.db',
    name: 'access_log: rows deleted',
    expect: { documented: 'as above: the access log is not hash-chained' },
    tamper: (dir) => attack(dir, 'access-log.db', (db) => db.prepare('DELETE FROM access_log').run()),
  },
  {
    file: 'read-models.db',
    name: 'a plan view document',
    expect: { documented: "derived data, each instance's own cache: `ledger rebuild` makes it again from the ledger, which verify checks" },
    tamper: (dir) => attack(dir, 'read-models.db', (db) => db.exec("UPDATE documents SET doc = json_set(doc, '$.title', 'forged')")),
  },
];

export const tamperCases: TamperCase[] = [...ledgerCases, ...dataDirCases, ...besideCases];
