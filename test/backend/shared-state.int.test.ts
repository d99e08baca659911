import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { createOrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import { makeEvents } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const entry = (requestId: string) => ({
  at: new Date().toISOString(),
  principalId: 'api-key:0123456789abcdef',
  principalName: 'Robin Auditor',
  role: 'auditor',
  organisation: 'Dorset CCG',
  method: 'GET',
  route: '/plans/:planId/events',
  path: '/plans/dorset/events',
  planId: 'dorset',
  status: 200,
  requestId,
  ip: '127.0.0.1',
});

/**
 * Two instances of the service on one embedded ledger (two backends on one data dir, as two
 * processes have them) share what must agree: keys and revocations, the access log, learned
 * aliases and one series of checkpoints.
 */
describe('two instances on one embedded ledger', () => {
  let dir: ReturnType<typeof makeTempDir>;
  const opened: Backend[] = [];
  const instance = async () => {
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
    opened.push(backend);
    return backend;
  };
  afterEach(async () => {
    for (const backend of opened.splice(0)) await backend.close();
    dir.remove();
  });

  it('a key created through one works on the other, and a revocation through one is refused by the other at once', async () => {
    dir = makeTempDir('ledger-instances-');
    const [a, b] = [await instance(), await instance()];
    const { key, record } = await a.keys.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
    expect((await b.keys.verify(key))?.keyId).toBe(record.keyId);
    expect(await a.keys.revoke(record.keyId, 'admin')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await b.keys.verify(key)).toBeUndefined();
    expect(await b.keys.get(record.keyId)).toMatchObject({ revokedBy: 'admin' });
  });

  it('records of reads through either land in one access log, in one order', async () => {
    dir = makeTempDir('ledger-instances-');
    const [a, b] = [await instance(), await instance()];
    await a.accessLog.record(entry('from-a'));
    await b.accessLog.record(entry('from-b'));
    await a.accessLog.record(entry('from-a-again'));
    for (const log of [a.accessLog, b.accessLog])
      expect((await log.query({ limit: 10 })).entries.map((e) => e.requestId)).toEqual(['from-a', 'from-b', 'from-a-again']);
  });

  it('an alias learned through one means the same through the other within a second', async () => {
    dir = makeTempDir('ledger-instances-');
    const [a, b] = [await instance(), await instance()];
    const [there, here] = [createOrganisationAliases(a.learnedAliases), createOrganisationAliases(b.learnedAliases)];
    expect(here.canonical('AMHP')).toBe('AMHP');
    await there.learn([{ name: 'Anyshire Mental Health Partnership', aliases: ['AMHP'] }]);
    expect(there.canonical('AMHP')).toBe('Anyshire Mental Health Partnership');
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(here.canonical('amhp')).toBe('Anyshire Mental Health Partnership');
  });

  it('checkpoints signed by either form one series that verifies', async () => {
    dir = makeTempDir('ledger-instances-');
    const [a, b] = [await instance(), await instance()];
    const key = loadSigningKey({ dataDir: dir.path }).key;
    const integrityOf = (backend: Backend) =>
      createLedgerIntegrity({
        integrity: backend.integrity,
        events: backend.events,
        key,
        keptCheckpointFile: dir.file(KEPT_CHECKPOINT_FILE),
      });
    const [signerA, signerB] = [integrityOf(a), integrityOf(b)];
    const append = (backend: Backend, n: number) => {
      const events = makeEvents(n);
      return backend.events.append({ stream: 'plan-shared', events, expectedRevision: 'any', commandId: events[0]!.commandId });
    };
    await append(a, 3);
    expect((await signerA.checkpointNow()).checkpoint?.treeSize).toBe(3);
    await append(b, 2);
    expect((await signerB.checkpointNow()).checkpoint?.treeSize).toBe(5);
    // Both sign the same size: the first stands, the second is told so.
    await append(a, 1);
    const [first, second] = await Promise.all([signerA.checkpointNow(), signerB.checkpointNow()]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(first.checkpoint).toEqual(second.checkpoint);
    expect((await b.integrity.checkpoints.all()).map((c) => c.treeSize)).toEqual([3, 5, 6]);
    expect(await signerB.verify()).toMatchObject({ ok: true, eventsChecked: 6, checkpointsChecked: 3 });
    await signerA.close();
    await signerB.close();
  });
});
