import Database from 'better-sqlite3';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessFiles } from '../../src/access/sqlite/access-db.ts';
import { assembleKurrentBackend } from '../../src/backend/kurrentdb/open-kurrentdb-backend.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { ledgerNames } from '../../src/store/kurrentdb/stream-names.ts';
import { InProcessKurrentDBStandIn } from '../store/kurrentdb/stand-in/in-process-kurrentdb-stand-in.ts';
import { describeAccessLogArchiveContract, useArchiveFixture, type Target } from './archive-contract.ts';

const sqlite: Target = {
  open: (dataDir) => openBackend({ store: { kind: 'sqlite' }, dataDir }),
  removeBehindItsBack: async (dataDir) => {
    const db = new Database(accessFiles(dataDir).log);
    try {
      db.exec('DROP TRIGGER access_log_delete_only_archived; DELETE FROM access_log WHERE id IN (53, 54)');
    } finally {
      db.close();
    }
    return 'entries 53–54 are missing from the live access log and in no archive: removed without archiving';
  },
};

const standIn = (): Target => {
  const engine = new InProcessKurrentDBStandIn();
  const names = ledgerNames();
  return {
    open: (dataDir) => assembleKurrentBackend({ client: engine.connect(), address: 'stand-in:2113', names }, { dataDir }),
    // Moving truncateBefore past entries no archive covers (revision 52 is id 53) and scavenging them away.
    removeBehindItsBack: async () => {
      await engine.setStreamMetadata(names.accessLog, { truncateBefore: 52 });
      engine.scavenge(names.accessLog, 52n);
      return 'entries 51–52 are in no archive and not live: removed without archiving';
    },
  };
};

describeAccessLogArchiveContract('embedded (access-log.db)', () => sqlite);
describeAccessLogArchiveContract('KurrentDB adapter on the in-process stand-in (adapter logic only, not KurrentDB)', standIn);

describe('archiving the embedded access log', () => {
  const setUp = useArchiveFixture(() => sqlite);

  it('refuses to delete an entry that no archive covers', async () => {
    const { dataDir } = await setUp();
    const db = new Database(accessFiles(dataDir).log);
    try {
      expect(() => db.prepare('DELETE FROM access_log WHERE id = 55').run()).toThrow(/only archived entries leave it/);
      expect(() => db.prepare('UPDATE access_log SET status = 500 WHERE id = 55').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('leaves the live database small: archiving then compacting gives the archived months back to the disk', async () => {
    const { dataDir, retention, archive } = await setUp({ '2026-08': 3000, '2026-10': 10 });
    const file = accessFiles(dataDir).log;
    const sizeOf = () => fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    const before = sizeOf();
    await archive('2026-10');
    expect(await retention.compact()).toMatch(/compacted/);
    expect(await retention.liveRange()).toEqual({ firstId: 3001, lastId: 3010, count: 10 });
    expect(sizeOf()).toBeLessThan(before / 4);
  });
});

describe('archiving the access log in KurrentDB: the adapter on the in-process stand-in (adapter logic only, not KurrentDB)', () => {
  let engine: InProcessKurrentDBStandIn;
  const names = ledgerNames();
  const setUp = useArchiveFixture(() => {
    engine = new InProcessKurrentDBStandIn();
    return {
      open: (dataDir) => assembleKurrentBackend({ client: engine.connect(), address: 'stand-in:2113', names }, { dataDir }),
      removeBehindItsBack: async () => '',
    };
  });

  it("moves the stream's truncateBefore past the archived entries and keeps the metadata an operator set", async () => {
    const { archive } = await setUp({ '2026-08': 30, '2026-10': 5 });
    await engine.setStreamMetadata(names.accessLog, { acl: { readRoles: ['$ops'] } });
    await archive('2026-10');
    expect((await engine.getStreamMetadata(names.accessLog)).metadata).toEqual({ acl: { readRoles: ['$ops'] }, truncateBefore: 30 });
  });
});
