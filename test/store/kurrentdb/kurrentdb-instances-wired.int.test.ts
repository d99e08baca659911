import { generateKeyPairSync } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels } from '../../../projections/read-models.ts';
import { createAccessControl, defaultAccessSettings } from '../../../src/access/access-control.ts';
import { assembleKurrentBackend } from '../../../src/backend/kurrentdb/open-kurrentdb-backend.ts';
import { buildApp } from '../../../src/app/http/app.ts';
import { KEPT_CHECKPOINT_FILE } from '../../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../../src/integrity/ledger-integrity.ts';
import { loadSigningKey } from '../../../src/integrity/signing-key.ts';
import { createOrganisationAliases } from '../../../src/organisations/organisation-aliases.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const { key: signingKey } = loadSigningKey({ pem, dataDir: '' });

/**
 * One service instance wired as src/server.ts wires it — the KurrentDB backend, access control
 * over its keys and access log, read models following the ledger, the integrity services with
 * the shared signing key — on a connection of its own to the in-process stand-in (NOT KurrentDB).
 */
const openInstance = async (engine: InProcessKurrentDBStandIn, dir: ReturnType<typeof makeTempDir>) => {
  const backend = await assembleKurrentBackend(
    { client: engine.connect(), address: 'stand-in:2113', names: ledgerNames() },
    { dataDir: dir.path },
  );
  const organisations = createOrganisationAliases(backend.learnedAliases);
  const access = createAccessControl({
    keys: backend.keys,
    log: backend.accessLog,
    directory: organisations,
    settings: defaultAccessSettings,
  });
  const readModels = openReadModels({
    store: backend.events,
    workerReads: backend.workerReads,
    dataDir: dir.path,
    directory: organisations,
  });
  await readModels.runner.start();
  const ledger = createLedgerIntegrity({
    integrity: backend.integrity,
    events: backend.events,
    key: signingKey,
    keptCheckpointFile: dir.file(KEPT_CHECKPOINT_FILE),
  });
  const app = await buildApp({ store: backend.events, access, readModels, organisationAliases: organisations, ledger });
  await app.ready();
  const call = (credential: string | undefined, options: InjectOptions) =>
    app.inject({ ...options, headers: { ...options.headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) } });
  return {
    access,
    organisations,
    ledger,
    call,
    close: async () => {
      await app.close();
      await readModels.close();
      await ledger.close();
      await backend.close();
    },
  };
};

describe('two service instances on one engine (in-process stand-in: the wiring of the adapters, not KurrentDB)', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });
  const twoInstances = async () => {
    const engine = new InProcessKurrentDBStandIn();
    const dirs = [makeTempDir('ledger-a-'), makeTempDir('ledger-b-')];
    closing.push(async () => dirs.forEach((d) => d.remove()));
    const [a, b] = [await openInstance(engine, dirs[0]!), await openInstance(engine, dirs[1]!)];
    closing.push(a.close, b.close);
    const keyFor = async (role: 'plan-manager' | 'auditor' | 'admin' | 'viewer') =>
      (await a.access.keys.create({ name: role, role, organisation: 'Poole Borough Council', createdBy: 'test' })).key;
    return { a, b, keyFor };
  };
  const plan = {
    planId: 'poole',
    title: 'Poole crisis care plan',
    kind: 'crisis-care-concordat',
    owner: 'Poole Borough Council',
    effectiveOn: '2024-04',
  };

  it('a write through A is read through B with minPosition; a key revoked through A is refused by B next', async () => {
    const { a, b, keyFor } = await twoInstances();
    const manager = await keyFor('plan-manager');
    const written = await a.call(manager, { method: 'POST', url: '/plans', payload: plan });
    expect(written.statusCode, written.body).toBe(201);
    const read = await b.call(manager, { method: 'GET', url: `/plans/poole?minPosition=${written.json<{ position: string }>().position}` });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ planId: 'poole' });

    const admin = await keyFor('admin');
    const leaver = (
      await a.call(admin, {
        method: 'POST',
        url: '/admin/keys',
        payload: { name: 'Leaver', role: 'viewer', organisation: 'Poole Borough Council' },
      })
    ).json<{ key: string; keyId: string }>();
    expect((await b.call(leaver.key, { method: 'GET', url: '/plans' })).statusCode).toBe(200);
    expect((await a.call(admin, { method: 'DELETE', url: `/admin/keys/${leaver.keyId}` })).statusCode).toBe(200);
    expect((await b.call(leaver.key, { method: 'GET', url: '/plans' })).statusCode).toBe(401);
  });

  it('an alias learned through A means the same through B; both instances record reads in one access log', async () => {
    const { a, b, keyFor } = await twoInstances();
    await a.organisations.learn([{ name: 'Poole Borough Council', aliases: ['PBC'] }]);
    await expect.poll(() => b.organisations.canonical('pbc'), { timeout: 3000 }).toBe('Poole Borough Council');

    const manager = await keyFor('plan-manager');
    expect((await a.call(manager, { method: 'POST', url: '/plans', payload: plan })).statusCode).toBe(201);
    const auditor = await keyFor('auditor');
    for (const instance of [a, b])
      expect((await instance.call(auditor, { method: 'GET', url: '/plans/poole/events' })).statusCode).toBe(200);
    const log = (await b.call(auditor, { method: 'GET', url: '/access-log?limit=100' })).json<{ entries: { route: string }[] }>();
    expect(log.entries.filter((e) => e.route === '/plans/:planId/events')).toHaveLength(2);
  });

  it('checkpoints signed by either instance form one series that both verify', async () => {
    const { a, b, keyFor } = await twoInstances();
    const manager = await keyFor('plan-manager');
    expect((await a.call(manager, { method: 'POST', url: '/plans', payload: plan })).statusCode).toBe(201);
    expect((await a.ledger.checkpointNow()).created).toBe(true);
    const section = { sectionRef: '1', title: 'Access to support', effectiveOn: '2024-04' };
    expect((await b.call(manager, { method: 'POST', url: '/plans/poole/sections', payload: section })).statusCode).toBe(201);
    expect((await b.ledger.checkpointNow()).created).toBe(true);
    expect((await a.ledger.checkpointNow()).created).toBe(false);
    const auditor = await keyFor('auditor');
    const listed = await Promise.all(
      [a, b].map(async (i) => (await i.call(auditor, { method: 'GET', url: '/ledger/checkpoints' })).json()),
    );
    expect(listed[0]).toEqual(listed[1]);
    for (const instance of [a, b]) {
      const report = await instance.ledger.verify();
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true, checkpointsChecked: 2, treeSize: 2 });
    }
  });
});
