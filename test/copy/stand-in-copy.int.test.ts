import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { assembleKurrentBackend } from '../../src/backend/kurrentdb/open-kurrentdb-backend.ts';
import { copyLedger } from '../../src/copy/copy-ledger.ts';
import { learnedAliasesPart } from '../../src/copy/copy-part.ts';
import { CopyRefused } from '../../src/copy/copy-refused.ts';
import { ledgerNames } from '../../src/store/kurrentdb/stream-names.ts';
import { InProcessKurrentDBStandIn } from '../store/kurrentdb/stand-in/in-process-kurrentdb-stand-in.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { openLedger, seedCommands, signCheckpoint, snapshot, useSourceAndTarget } from './copy-fixture.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeEvent, uniqueId } from '../support/events.ts';
import { appendStampedAsBefore } from '../support/stamped-as-before.ts';
import { sqliteLedgerFile } from '../../src/backend/sqlite/open-sqlite-backend.ts';

/*
 * ledger copy between SQLite and the KurrentDB backend running on the in-process stand-in for
 * the client: a check of how the copy and the adapter fit (results, replays, checkpoints, the
 * position index), NOT evidence that KurrentDB works; test/kurrentdb-server/copy.ts runs the
 * same round trip against a real server when LEDGER_KURRENTDB_URL is set.
 */
describe('ledger copy through the KurrentDB adapter on the in-process stand-in (adapter logic only, not KurrentDB)', () => {
  const ctx = useSourceAndTarget();

  const onStandIn = async (engine: InProcessKurrentDBStandIn, dataDir: string): Promise<Backend> => {
    const backend = await assembleKurrentBackend({ client: engine.connect(), address: 'stand-in:2113', names: ledgerNames() }, { dataDir });
    ctx.open.push(backend);
    return backend;
  };

  it('carries a SQLite ledger into the adapter and back unchanged, each copy verified against its source', async () => {
    const dir = makeTempDir('ledger-copy-stand-in-');
    try {
      await ctx.source.learnedAliases.learn([{ name: 'South Western Ambulance Service NHS Foundation Trust', aliases: ['SWASFT'] }]);
      const engine = new InProcessKurrentDBStandIn();
      const there = await onStandIn(engine, dir.file('instance-a'));
      const parts = (from: Backend, to: Backend) => [learnedAliasesPart(from.learnedAliases, to.learnedAliases)];
      const first = await copyLedger({ source: ctx.source, target: there, publicKey: ctx.key.publicKey, parts: parts(ctx.source, there) });
      expect(first.verification?.checkpoints).toBe(2);

      const back = await openLedger(dir.file('back'), 'at-close');
      ctx.open.push(back);
      const second = await copyLedger({ source: there, target: back, publicKey: ctx.key.publicKey, parts: parts(there, back) });
      expect(second.verification?.events).toBe(first.size);
      expect(await snapshot(back)).toEqual(await snapshot(ctx.source));
      expect(back.learnedAliases.current().organisations).toEqual(ctx.source.learnedAliases.current().organisations);
    } finally {
      dir.remove();
    }
  });

  it('resumes into the adapter after a stop, from another instance with an index of its own', async () => {
    const dir = makeTempDir('ledger-copy-stand-in-');
    try {
      const engine = new InProcessKurrentDBStandIn();
      const first = await onStandIn(engine, dir.file('instance-a'));
      const stop = new AbortController();
      let appends = 0;
      const stopped = await copyLedger({
        source: ctx.source,
        target: {
          integrity: first.integrity,
          events: Object.assign(Object.create(first.events) as typeof first.events, {
            append: async (request: Parameters<typeof first.events.append>[0]) => {
              const result = await first.events.append(request);
              if (++appends === 7) stop.abort();
              return result;
            },
          }),
        },
        publicKey: ctx.key.publicKey,
        signal: stop.signal,
      });
      expect(stopped.stoppedAt).toBeGreaterThan(0);

      const second = await onStandIn(engine, dir.file('instance-b'));
      const resumed = await copyLedger({ source: ctx.source, target: second, publicKey: ctx.key.publicKey });
      expect(resumed.resumedAt).toBe(stopped.stoppedAt);
      expect(resumed.verification?.events).toBe(resumed.size);
    } finally {
      dir.remove();
    }
  });

  it('carries a ledger whose commands committed out of the order they were stamped in into KurrentDB, but not into SQLite', async () => {
    const dir = makeTempDir('ledger-copy-stand-in-');
    try {
      const sourceDir = dir.file('source');
      const source = await onStandIn(new InProcessKurrentDBStandIn(), sourceDir);
      const append = (stream: string, recordedAt: string) => {
        const commandId = uniqueId('c');
        const events = [makeEvent({ commandId, correlationId: commandId, recordedAt })];
        return source.events.append({ stream, events, expectedRevision: 'any', commandId, requestFingerprint: `f-${commandId}` });
      };
      await append('plan-a', '2026-03-01T10:00:00.000Z');
      await append('plan-b', '2026-03-01T10:00:00.500Z');
      // Stamped by another instance before plan-b's, committed after it.
      await append('plan-a', '2026-03-01T10:00:00.300Z');
      const { key } = loadSigningKey({ dataDir: sourceDir });
      await signCheckpoint(source, sourceDir, key);

      const into = await onStandIn(new InProcessKurrentDBStandIn(), dir.file('target'));
      const copied = await copyLedger({ source, target: into, publicKey: key.publicKey });
      expect(copied.verification?.events).toBe(3);
      expect(await snapshot(into)).toEqual(await snapshot(source));
      expect(await into.events.positionAt('2026-03-01T10:00:00.400Z')).toBe(0n);

      const sqlite = await openLedger(dir.file('sqlite'));
      ctx.open.push(sqlite);
      const refused = await copyLedger({ source, target: sqlite, publicKey: key.publicKey }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CopyRefused);
      expect((refused as CopyRefused).kind).toBe('source-time-decreases');
      expect(await sqlite.events.count()).toBe(2);
    } finally {
      dir.remove();
    }
  });

  it('refuses a SQLite ledger whose clock once stepped back as a source for KurrentDB, which would answer an asOf in that stretch otherwise', async () => {
    const dir = makeTempDir('ledger-copy-stand-in-');
    try {
      const hourAgo = new Date(Date.now() - 3600_000).toISOString();
      const stepped = appendStampedAsBefore(sqliteLedgerFile(ctx.sourceDir), 'plan-kent', hourAgo);
      await signCheckpoint(ctx.source, ctx.sourceDir, ctx.key);
      const into = await onStandIn(new InProcessKurrentDBStandIn(), dir.file('target'));
      const refused = await copyLedger({ source: ctx.source, target: into, publicKey: ctx.key.publicKey }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CopyRefused);
      expect((refused as CopyRefused).kind).toBe('source-time-decreases');
      expect((refused as CopyRefused).message).toContain('answer some instants differently');
      expect(await into.events.count()).toBe(stepped);
    } finally {
      dir.remove();
    }
  });

  it('refuses an adapter ledger that holds another ledger', async () => {
    const dir = makeTempDir('ledger-copy-stand-in-');
    try {
      const target = await onStandIn(new InProcessKurrentDBStandIn(), dir.file('instance'));
      await seedCommands(target, ['plan-elsewhere'], 1);
      const before = await snapshot(target);
      await expect(copyLedger({ source: ctx.source, target, publicKey: ctx.key.publicKey })).rejects.toThrow(CopyRefused);
      expect(await snapshot(target)).toEqual(before);
    } finally {
      dir.remove();
    }
  });
});
