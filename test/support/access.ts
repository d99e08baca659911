import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach } from 'vitest';
import { createAccessControl, defaultAccessSettings, type AccessControl } from '../../src/access/access-control.ts';
import type { AccessSettings } from '../../src/access/access-config.ts';
import { accessFiles } from '../../src/access/sqlite/access-db.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { createOrganisationAliases, type OrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import type { Role } from '../../src/access/roles.ts';
import { buildApp } from '../../src/app/http/app.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { createLedgerIntegrity, type LedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import type { EventStore } from '../../src/store/port.ts';
import type { BlobStore } from '../../src/blobs/port.ts';
import type { EvidenceSettings } from '../../src/evidence/receive-evidence-file.ts';
import { makeTempDir } from './temp-dir.ts';
import { createLedgerMetrics } from '../../src/metrics/ledger-metrics.ts';
import { recordingVerify } from '../../src/operations/recorded-verify.ts';
import { projections } from '../../projections/read-models.ts';

type WebOptions = NonNullable<Parameters<typeof buildApp>[0]['web']>;

export interface SecuredLedger {
  app: FastifyInstance;
  store: EventStore;
  access: AccessControl;
  /** The embedded access log's file, to check what reached the disk. */
  accessLogFile: string;
  readModels: ReadModels;
  /** Checkpoints, proofs and verification over the same ledger file. */
  ledger: LedgerIntegrity;
  /** The data dir's one organisation directory, shared by access control, imports and the read models. */
  organisations: OrganisationAliases;
  dataDir: string;
  /** Evidence files, in the data dir's evidence/ folder. */
  blobs: BlobStore;
  /** A fresh API key with this role for this organisation (any alias). */
  keyFor: (role: Role, organisation?: string, name?: string) => Promise<string>;
  /** app.inject with `Authorization: Bearer <credential>` when one is given. */
  call: (credential: string | undefined, options: InjectOptions) => Promise<LightMyRequestResponse>;
}

/**
 * The real app wired as `src/server.ts` wires it — one backend (openBackend, embedded, in a
 * temp data dir), access control over its key store and access log, the read models opened
 * on the same data dir with their runner following the ledger, one organisation directory
 * shared by all, and the integrity services with the data dir's signing key — closed and
 * removed after each test. So the app's own route table holds every route the server serves. For tests of other layers that now
 * need credentials: `keyFor('plan-manager', owner)` and send it as a bearer token.
 */
export const useSecuredLedger = () => {
  const opened: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close();
  });
  return async (
    settings: Partial<AccessSettings> = {},
    options: {
      web?: Partial<WebOptions>;
      trustProxy?: boolean;
      evidence?: Partial<EvidenceSettings>;
      /** The server's clock (when entries are recorded, and "today" of the views and pages); the real one when not given. */
      clock?: () => Date;
      /** Where the app logs (none when not given): a test that reads what was logged passes its own. */
      logger?: Parameters<typeof buildApp>[0]['logger'];
      /** The store the app writes through, over the real one: a test that interleaves another write with one of the app's. */
      wrapStore?: (store: EventStore) => EventStore;
      /** Why the instance is not serving yet, as a start folding its views says (src/server.ts); serving when not given. */
      starting?: () => string | undefined;
    } = {},
  ): Promise<SecuredLedger> => {
    const dir = makeTempDir('ledger-access-');
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
    const store = options.wrapStore ? options.wrapStore(backend.events) : backend.events;
    const organisations = createOrganisationAliases(backend.learnedAliases);
    const access = createAccessControl({
      keys: backend.keys,
      log: backend.accessLog,
      directory: organisations,
      settings: { ...defaultAccessSettings, ...settings },
    });
    const readModels = openReadModels({
      store,
      workerReads: backend.workerReads,
      dataDir: dir.path,
      directory: organisations,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await readModels.runner.start();
    const integrity = createLedgerIntegrity({
      integrity: backend.integrity,
      events: store,
      key: loadSigningKey({ dataDir: dir.path }).key,
      keptCheckpointFile: dir.file(KEPT_CHECKPOINT_FILE),
    });
    // As src/server.ts wires it: a verification the app runs is recorded where every instance reads the last one.
    const ledger = { ...integrity, verify: recordingVerify(integrity.verify, backend.operations, 'http:test') };
    const web = options.web && { sessions: { secret: new Uint8Array(32).fill(7), ttlSeconds: 3600 }, ...options.web };
    // Wired as src/server.ts wires it, so the route table holds GET /metrics too.
    const metrics = createLedgerMetrics({
      dataDir: dir.path,
      events: store,
      projections: () => projections.map((p) => ({ name: p.name, position: readModels.readStore.checkpoint(p.name)?.position ?? -1n })),
      latestCheckpoint: () => ledger.checkpoints.latest(),
      operations: backend.operations,
      accessLogBacklog: () => backend.accessLog.backlog?.() ?? 0,
    });
    const app = await buildApp({
      store,
      access,
      readModels,
      organisationAliases: organisations,
      ledger,
      operations: backend.operations,
      metrics,
      ...(web ? { web } : {}),
      ...(options.trustProxy ? { trustProxy: true } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.starting ? { starting: options.starting } : {}),
      evidence: { blobs: backend.blobs, settings: { maxBytes: 25 * 1024 * 1024, graceMs: 3_600_000, ...options.evidence } },
    });
    await app.ready();
    opened.push({
      close: async () => {
        await app.close();
        await readModels.close();
        await ledger.close();
        await backend.close();
        dir.remove();
      },
    });
    const keyFor = async (role: Role, organisation = 'Dorset CCG', name = `${role} of ${organisation}`) =>
      (await access.keys.create({ name, role, organisation: access.directory.canonical(organisation), createdBy: 'test' })).key;
    const call = (credential: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse> =>
      app.inject({ ...options, headers: { ...options.headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) } });
    return {
      app,
      store,
      access,
      accessLogFile: accessFiles(dir.path).log,
      readModels,
      ledger,
      organisations,
      dataDir: dir.path,
      blobs: backend.blobs,
      keyFor,
      call,
    };
  };
};

/** A Dorset-like plan owned by the CCG, with action 1.3 led by Local Authorities and the CCG, and 2.1 led by Dorset Police. */
export const seedDorsetPlan = async (ledger: SecuredLedger, planId = 'dorset') => {
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const post = async (url: string, payload: object) => {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`seeding ${url}: ${res.statusCode} ${res.body}`);
  };
  await post('/plans', {
    planId,
    title: 'Dorset Crisis Care Concordat action plan',
    kind: 'crisis-care-concordat',
    owner: 'Dorset CCG',
    effectiveOn: '2015-06',
  });
  await post(`/plans/${planId}/recommendations`, {
    ref: 'R1',
    text: 'Improve information about services',
    addressedTo: ['Dorset HealthCare'],
    effectiveOn: '2015-06',
  });
  await post(`/plans/${planId}/actions`, {
    ref: '1.3',
    text: 'Mapping services',
    leadOrganisations: ['Local Authorities', 'Dorset CCG'],
    partnerOrganisations: ['SWAST'],
    due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
    effectiveOn: '2015-06',
  });
  await post(`/plans/${planId}/actions`, {
    ref: '2.1',
    text: 'Section 136 protocol',
    leadOrganisations: ['Dorset Police'],
    due: { kind: 'date', date: '2016-03', wording: 'March 2016' },
    effectiveOn: '2015-06',
  });
  return { manager };
};
