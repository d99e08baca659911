import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailable, NoLedger } from '../../src/backend/backend.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { loadConfig } from '../../src/config.ts';
import { collect } from '../support/collect.ts';
import { makeEvents } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe('openBackend: one way to open the ledger, chosen by LEDGER_STORE', () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => dir?.remove());

  it('reads LEDGER_STORE: unset or sqlite is the embedded store, a kurrentdb:// string is KurrentDB, anything else stops start-up naming it', () => {
    expect(loadConfig({}).store).toEqual({ kind: 'sqlite' });
    expect(loadConfig({ LEDGER_STORE: 'sqlite' }).store).toEqual({ kind: 'sqlite' });
    expect(loadConfig({ LEDGER_STORE: 'kurrentdb://db.example:2113?tls=false' }).store).toEqual({
      kind: 'kurrentdb',
      connectionString: 'kurrentdb://db.example:2113?tls=false',
    });
    expect(loadConfig({ LEDGER_STORE: 'kurrentdb+discover://a:2113,b:2113' }).store.kind).toBe('kurrentdb');
    for (const bad of ['postgres://x', 'kurrentdb://', 'SQLite', 'memory'])
      expect(() => loadConfig({ LEDGER_STORE: bad })).toThrow(/LEDGER_STORE: must be "sqlite" or a KurrentDB connection string/);
  });

  it('opens the embedded backend in the data dir, each part on first use, and closes them all once', async () => {
    dir = makeTempDir('ledger-backend-');
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
    expect(backend.kind).toBe('sqlite');
    expect(backend.description).toBe(`SQLite ledger ${dir.file('ledger.db')}`);
    // Nothing opened yet: keys alone do not create the ledger.
    await backend.keys.list();
    expect(fs.existsSync(dir.file('ledger.db'))).toBe(false);
    const events = makeEvents(2);
    await backend.events.append({ stream: 'plan-p', events, expectedRevision: 'noStream', commandId: events[0]!.commandId });
    expect(await backend.integrity.ledgerSize()).toBe(2n);
    expect(backend.workerReads).toMatchObject({ options: { file: dir.file('ledger.db') } });
    await backend.close();
    await backend.close();
    const again = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path }, { create: false });
    expect((await collect(again.events.readAll())).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    await again.close();
  });

  it('refuses to create an empty ledger for a command that needs one (NoLedger), and creates nothing', async () => {
    dir = makeTempDir('ledger-backend-');
    await expect(openBackend({ store: { kind: 'sqlite' }, dataDir: dir.file('absent') }, { create: false })).rejects.toThrow(NoLedger);
    expect(fs.existsSync(dir.file('absent'))).toBe(false);
  });

  it('refuses a KurrentDB setting it cannot use in one line, before connecting, without the password of the connection string', async () => {
    const opening = openBackend({
      store: { kind: 'kurrentdb', connectionString: 'kurrentdb://admin:secret@db:2113?ledgerNamespace=Not-Valid' },
      dataDir: '/nowhere',
    });
    await expect(opening).rejects.toThrow(BackendUnavailable);
    await expect(opening).rejects.toThrow(/^LEDGER_STORE: a ledger namespace is lower-case letters/);
    await expect(opening).rejects.not.toThrow(/secret/);
  });
  // Starting on a KurrentDB that does not answer: test/backend/kurrentdb-unreachable.e2e.test.ts.
});
