import fs from 'node:fs';
import path from 'node:path';
import { accessFiles, openKeysDb } from '../../access/sqlite/access-db.ts';
import { openSqliteAccessLog } from '../../access/sqlite/access-log.ts';
import { openSqliteAccessLogRetention } from '../../access/sqlite/access-log-retention.ts';
import { createKeyStore } from '../../access/sqlite/key-store.ts';
import { openFilesystemBlobStore } from '../../blobs/filesystem/filesystem-blob-store.ts';
import { createSqliteIntegrityStore } from '../../integrity/sqlite/integrity-store.ts';
import { wholeFilePart } from '../../backup/file-parts.ts';
import { sqliteDatabasePart } from '../../backup/sqlite/sqlite-database-part.ts';
import { evidenceFilesPart } from '../../backup/evidence-files-part.ts';
import { openSqliteOperations } from '../../operations/sqlite/operations-db.ts';
import { learnedAliasFile, openLearnedAliasFile } from '../../organisations/learned-alias-file.ts';
import { openLedgerFile } from '../../store/sqlite/ledger-file.ts';
import { openReadOnlyLedger } from '../../store/sqlite/read-only-ledger.ts';
import { openSqliteEventStore } from '../../store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../store/sqlite/worker-reader.ts';
import { evidenceDirOf, NoLedger, type Backend, type BackendOpener } from '../backend.ts';

/** The embedded ledger's file in the data dir. */
export const sqliteLedgerFile = (dataDir: string) => path.join(dataDir, 'ledger.db');

/**
 * The embedded backend: everything in SQLite files (and one JSON file) in the data dir, shared
 * by every process on the machine that opens the same data dir — `ledger.db` (events, commands,
 * Merkle nodes, checkpoints), `access.db` (API keys), `access-log.db`, the learned
 * `organisation-aliases.json`, and evidence files in `evidence/` (unless placed elsewhere). Each
 * part opens on first use, and close() closes what was opened: what records and reads first, the
 * event store last.
 */
export const openSqliteBackend: BackendOpener<{ kind: 'sqlite' }> = async (_setting, options) => {
  const file = sqliteLedgerFile(options.dataDir);
  if ((options.create === false || options.readOnly) && !fs.existsSync(file)) throw new NoLedger(file);
  const readOnly = options.readOnly ?? false;
  if (!readOnly) fs.mkdirSync(options.dataDir, { recursive: true });
  const files = accessFiles(options.dataDir);
  const closers = new Map<string, () => Promise<void> | void>();
  /** Opens a part once, on first use, and remembers how to close it. */
  const lazy = <T>(name: string, open: () => { part: T; close: () => Promise<void> | void }) => {
    let opened: T | undefined;
    return (): T => {
      if (opened === undefined) {
        const { part, close } = open();
        opened = part;
        closers.set(name, close);
      }
      return opened;
    };
  };
  const events = lazy('events', () => {
    const store = openSqliteEventStore({
      file,
      readOnly,
      ...(options.readPageSize ? { pageSize: options.readPageSize } : {}),
      ...(options.onClockBehind ? { onClockBehind: options.onClockBehind } : {}),
      ...(options.onAppendBatch ? { onBatch: options.onAppendBatch } : {}),
      ...(options.appendDurability ? { durability: options.appendDurability } : {}),
    });
    return { part: store, close: () => store.close() };
  });
  const integrity = lazy('integrity', () => {
    const store = createSqliteIntegrityStore({ db: readOnly ? openReadOnlyLedger(file) : openLedgerFile(file), file, readOnly });
    return { part: store, close: () => store.close() };
  });
  const keys = lazy('keys', () => {
    const db = openKeysDb(files.keys);
    return {
      part: createKeyStore(db),
      close: () => {
        db.close();
      },
    };
  });
  const accessLog = lazy('accessLog', () => {
    const log = openSqliteAccessLog(files.log);
    return { part: log, close: () => log.close() };
  });
  const learnedAliases = lazy('learnedAliases', () => {
    const store = openLearnedAliasFile(options.dataDir);
    return { part: store, close: () => store.close() };
  });
  const blobs = openFilesystemBlobStore(options.evidenceDir ?? evidenceDirOf(options.dataDir));
  const accessLogRetention = lazy('accessLogRetention', () => {
    const retention = openSqliteAccessLogRetention(files.log);
    return { part: retention, close: () => retention.close() };
  });
  const operations = lazy('operations', () => {
    const store = openSqliteOperations(options.dataDir);
    return { part: store, close: () => store.close() };
  });
  let closing: Promise<void> | undefined;

  const backend: Backend = {
    kind: 'sqlite',
    description: `SQLite ledger ${file}`,
    get events() {
      return events();
    },
    get integrity() {
      return integrity();
    },
    get keys() {
      return keys();
    },
    get accessLog() {
      return accessLog();
    },
    get learnedAliases() {
      return learnedAliases();
    },
    blobs,
    get operations() {
      return operations();
    },
    get accessLogRetention() {
      return accessLogRetention();
    },
    backup: {
      // Every file the embedded backend shares, each copied consistently while the service writes.
      parts: () => [
        sqliteDatabasePart('the ledger (ledger.db)', options.dataDir, path.basename(file)),
        sqliteDatabasePart('the API keys (access.db)', options.dataDir, path.basename(files.keys)),
        sqliteDatabasePart('the access log (access-log.db)', options.dataDir, path.basename(files.log)),
        wholeFilePart(
          'the learned organisation aliases (organisation-aliases.json)',
          options.dataDir,
          path.basename(learnedAliasFile(options.dataDir)),
        ),
        evidenceFilesPart(blobs),
      ],
      openCopy: (dataCopyDir) => openSqliteBackend(_setting, { dataDir: dataCopyDir, create: false }),
    },
    workerReads: sqliteWorkerReads(file),
    storageHealth: () => events().storageHealth(),
    close: () =>
      (closing ??= (async () => {
        for (const name of ['accessLog', 'accessLogRetention', 'keys', 'learnedAliases', 'operations', 'integrity', 'events'])
          await closers.get(name)?.();
      })()),
  };
  return backend;
};
