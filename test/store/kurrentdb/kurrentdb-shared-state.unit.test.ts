import { describe, expect, it } from 'vitest';
import { openAccessLogStream } from '../../../src/access/kurrentdb/access-log-stream.ts';
import { openKeyStream } from '../../../src/access/kurrentdb/key-stream.ts';
import type { AccessLogEntry } from '../../../src/access/port.ts';
import { signCheckpoint } from '../../../src/integrity/checkpoint.ts';
import { CheckpointFork, openCheckpointStream } from '../../../src/integrity/kurrentdb/checkpoint-stream.ts';
import { generateKeyPairSync } from 'node:crypto';
import { loadSigningKey } from '../../../src/integrity/signing-key.ts';
import { openLearnedAliasStream, whatIsNew } from '../../../src/organisations/kurrentdb/learned-alias-stream.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

/*
 * The shared state of several instances on one engine, each instance with its own port object
 * on the in-process stand-in (NOT KurrentDB): checks the adapters' logic only.
 */
const engine = () => new InProcessKurrentDBStandIn();
/** One ledger on the stand-in, as a port of one instance sees it. */
const on = (client: InProcessKurrentDBStandIn) => ({ client, address: 'db:2113', names: ledgerNames() });

describe('API keys in the engine (in-process stand-in, not KurrentDB)', () => {
  const admin = { name: 'Admin', role: 'admin' as const, organisation: 'Dorset CCG', createdBy: 'first-start' };

  it('a key revoked through one instance is refused by another on its next request', async () => {
    const db = engine();
    const a = openKeyStream(on(db));
    const b = openKeyStream(on(db));
    const { key, record } = await a.create({ ...admin, name: 'Jo Bloggs', role: 'plan-manager' });
    expect(await b.verify(key)).toEqual(record);
    expect(await a.revoke(record.keyId, 'admin-1')).toBe(true);
    expect(await b.verify(key)).toBeUndefined();
    expect(await b.revoke(record.keyId, 'admin-2')).toBe(false);
    expect((await b.get(record.keyId))?.revokedBy).toBe('admin-1');
  });

  it('makes the first key once however many instances start together', async () => {
    const db = engine();
    const made = await Promise.all([0, 1, 2].map(() => openKeyStream(on(db)).createIfNone(admin)));
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(await openKeyStream(on(db)).countAll()).toBe(1);
  });

  it('refuses a wrong secret, an unknown key and a malformed one alike, and lists every key ever issued', async () => {
    const db = engine();
    const keys = openKeyStream(on(db));
    const { key, record } = await keys.create(admin);
    expect(await keys.verify(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await keys.verify(`al_${'0'.repeat(16)}_${'x'.repeat(43)}`)).toBeUndefined();
    expect(await keys.verify('not-a-key')).toBeUndefined();
    await keys.revoke(record.keyId, 'x');
    const second = await keys.create({ ...admin, name: 'Second' });
    expect((await keys.list()).map((k) => k.keyId).sort()).toEqual([record.keyId, second.record.keyId].sort());
    expect(await keys.countAll()).toBe(2);
  });
});

describe('the access log in the engine (in-process stand-in, not KurrentDB)', () => {
  const entry = (overrides: Partial<AccessLogEntry>): AccessLogEntry => ({
    at: '2026-11-23T15:00:00.000Z',
    principalId: 'key-1',
    principalName: 'Inquiry team',
    role: 'auditor',
    organisation: 'Independent inquiry',
    method: 'GET',
    route: '/plans/:planId/events',
    path: '/plans/dorset/events',
    planId: 'dorset',
    status: 200,
    requestId: 'req-1',
    ip: '10.0.0.1',
    ...overrides,
  });

  it('keeps every instance records in one place, in order, with growing ids, and pages and filters them', async () => {
    const db = engine();
    const a = openAccessLogStream(on(db));
    const b = openAccessLogStream(on(db));
    await Promise.all([
      a.record(entry({ requestId: 'a-1' })),
      a.record(entry({ requestId: 'a-2', planId: 'other' })),
      b.record(entry({ requestId: 'b-1' })),
    ]);
    await b.record(entry({ requestId: 'b-2', status: 403 }));
    const all = await a.query({ limit: 10 });
    expect(all.entries.map((e) => e.requestId).sort()).toEqual(['a-1', 'a-2', 'b-1', 'b-2']);
    expect(all.entries.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(all.next).toBeNull();
    const first = await b.query({ limit: 2 });
    expect(first.entries).toHaveLength(2);
    const rest = await b.query({ limit: 2, after: first.next! });
    expect([...first.entries, ...rest.entries].map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect((await b.query({ limit: 10, planId: 'dorset', status: 200 })).entries.map((e) => e.requestId).sort()).toEqual(['a-1', 'b-1']);
    await a.close();
    await b.close();
  });

  it('fails a record when the engine does not answer, so the read it records is not served', async () => {
    const db = engine();
    const log = openAccessLogStream(on(db));
    db.goOffline();
    await expect(log.record(entry({}))).rejects.toThrow(/KurrentDB at db:2113/);
  });
});

describe('learned organisation aliases in the engine (in-process stand-in, not KurrentDB)', () => {
  it('an alias learned through one instance means the same through another within about a second', async () => {
    const db = engine();
    const a = await openLearnedAliasStream(on(db));
    const b = await openLearnedAliasStream(on(db));
    try {
      await a.learn([{ name: 'South Western Ambulance Service NHS Foundation Trust', aliases: ['SWASFT'] }]);
      expect(a.current().organisations).toEqual([{ name: 'South Western Ambulance Service NHS Foundation Trust', aliases: ['SWASFT'] }]);
      await expect.poll(() => b.current().organisations, { timeout: 3000 }).toEqual(a.current().organisations);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('records a name learned through two instances at once once, and only what is new', async () => {
    const db = engine();
    const a = await openLearnedAliasStream(on(db));
    const b = await openLearnedAliasStream(on(db));
    try {
      await Promise.all([
        a.learn([{ name: 'Dorset CCG', aliases: ['NHS Dorset'] }]),
        b.learn([{ name: 'dorset ccg', aliases: ['NHS Dorset', 'DCCG'] }]),
      ]);
      await a.learn([{ name: 'Dorset CCG', aliases: ['NHS Dorset'] }]);
      const aliases = a
        .current()
        .organisations.flatMap((o) => o.aliases)
        .sort();
      expect(aliases).toEqual(['DCCG', 'NHS Dorset']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('works out what is new the way the directory matches names', () => {
    const known = [{ name: 'Dorset CCG', aliases: ['NHS Dorset'] }];
    expect(whatIsNew(known, [{ name: 'DORSET  CCG', aliases: ['nhs dorset'] }])).toEqual([]);
    expect(whatIsNew(known, [{ name: 'Dorset CCG', aliases: ['DCCG'] }])).toEqual([{ name: 'Dorset CCG', aliases: ['DCCG'] }]);
    expect(whatIsNew(known, [{ name: 'Poole Council', aliases: [] }])).toEqual([{ name: 'Poole Council', aliases: [] }]);
  });
});

describe('signed checkpoints in the engine (in-process stand-in, not KurrentDB)', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const { key } = loadSigningKey({ pem, dataDir: '/nonexistent' });
  const root = (c: string) => c.repeat(64);
  const signed = (treeSize: number, rootHash: string, second = 0) =>
    signCheckpoint(key, { treeSize, rootHash, issuedAt: `2026-11-23T15:00:0${second}.000Z` }, undefined);

  it('instances signing together form one series: one checkpoint per size, the later signer adds nothing', async () => {
    const db = engine();
    const a = openCheckpointStream(on(db));
    const b = openCheckpointStream(on(db));
    const results = await Promise.all([a.insert(signed(10, root('a'), 1)), b.insert(signed(10, root('a'), 2))]);
    expect(results.sort()).toEqual([false, true]);
    expect(await b.insert(signed(20, root('b')))).toBe(true);
    expect(await a.insert(signed(15, root('c')))).toBe(true);
    expect((await a.all()).map((c) => c.treeSize)).toEqual([10, 15, 20]);
    expect((await a.covering(11n))?.treeSize).toBe(15);
    expect((await a.covering(16n))?.treeSize).toBe(20);
    expect((await a.latest())?.treeSize).toBe(20);
    expect((await a.page(10n, 5)).map((c) => c.treeSize)).toEqual([15, 20]);
  });

  it('raises the fork alarm for a second root signed for one size, and stores nothing', async () => {
    const db = engine();
    const alarms: string[] = [];
    const a = openCheckpointStream(on(db));
    await a.insert(signed(10, root('a')));
    expect(await openCheckpointStream(on(db), (message) => alarms.push(message)).insert(signed(10, root('b')))).toBe(false);
    expect(alarms).toEqual([expect.stringMatching(/two different roots are signed for the first 10 events/)]);
    expect((await a.all()).map((c) => c.rootHash)).toEqual([root('a')]);
  });

  it('refuses to serve a series holding two roots for one size, written past the adapter', async () => {
    const db = engine();
    const forged = [signed(10, root('a')), signed(10, root('b'))].map((c) => ({
      id: crypto.randomUUID(),
      contentType: 'application/json' as const,
      type: 'LedgerCheckpointSigned',
      data: { ...c },
      metadata: undefined,
    }));
    await db.multiStreamAppend([{ streamName: 'ledger-meta:checkpoints', events: forged, expectedState: 'any' }]);
    await expect(openCheckpointStream(on(db)).all()).rejects.toBeInstanceOf(CheckpointFork);
  });
});
