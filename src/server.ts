import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { createAccessControl } from './access/access-control.ts';
import { ensureFirstAdminKey } from './access/first-start.ts';
import { openBackend } from './backend/open-backend.ts';
import { buildApp } from './app/http/app.ts';
import { startCheckpointSchedule } from './integrity/checkpoint-schedule.ts';
import { openSigningKeyInForce } from './integrity/signing-key-in-force.ts';
import { CheckpointRefused } from './integrity/errors.ts';
import { KEPT_CHECKPOINT_FILE } from './integrity/kept-checkpoint.ts';
import { refuseLostLedger } from './integrity/lost-ledger.ts';
import { createLedgerIntegrity } from './integrity/ledger-integrity.ts';
import { createClockWatch } from './store/ledger-time.ts';
import { asStorageFull } from './store/sqlite/storage-errors.ts';
import { loadDemoData } from './import/demo-data.ts';
import { createOrganisationAliases } from './organisations/organisation-aliases.ts';
import { openReadModels, projections } from '../projections/read-models.ts';
import { startProgress } from './app/start-progress.ts';
import { untilViewsAtHead } from './app/views-at-head.ts';
import { createLedgerMetrics } from './metrics/ledger-metrics.ts';
import { timeAppends } from './metrics/timed-appends.ts';
import { recordingVerify } from './operations/recorded-verify.ts';
import { verificationsInTurn } from './integrity/verifications-in-turn.ts';
import os from 'node:os';
import { scheduleBackups } from './app/scheduled-backups.ts';
import { sessionSecret } from './access/session-secret.ts';
import { createOidcSignIn } from './access/oidc-sign-in.ts';
import { requestForLog } from './http/request-log.ts';
import { startLoggedEvidenceSweeps } from './app/logged-evidence-sweeps.ts';

export { stopOnSignals } from './app/stop-on-signals.ts';

export interface LedgerService {
  /** The HTTP application (only http/ folders know fastify, so its type is what buildApp returns). */
  app: Awaited<ReturnType<typeof buildApp>>;
  logger: Logger;
  /** Which ledger it serves, for the log: "SQLite ledger /srv/data/ledger.db". */
  ledgerDescription: string;
  /** Stops taking requests, lets in-flight ones (and their appends) finish, then closes the store. */
  stop: (reason?: string) => Promise<void>;
  /**
   * Folds the views to the ledger's head, then serves every route and starts the evidence sweeps. Until it has, only
   * /health, /ready (503 starting), /metrics and what reads no views answer; the rest are refused with 503 starting
   * (src/http/refuse-while-starting.ts). False when the service was stopped first.
   */
  begin: () => Promise<boolean>;
}

export interface RunningServer extends LedgerService {
  url: string;
}

/**
 * Wires configuration, logger and backend into the app and listens: the only place that does.
 * It listens before the views are folded to the ledger's head, so that /health answers through a
 * long start (`listening` hears of it then: signals can stop the start), and resolves once it
 * serves every route. A start that fails because the data directory's disk is full throws
 * StorageFull, which the command line reports in one line.
 */
export const startServer = async (
  config: Config,
  print: (text: string) => void = (t) => process.stdout.write(t + '\n'),
  listening: (server: RunningServer) => void = () => undefined,
): Promise<RunningServer> => {
  try {
    const service = await openLedgerService(config, print);
    const url = await service.app.listen({ port: config.port, host: config.host });
    service.logger.info({ address: url }, 'listening: /health and /ready answer, the rest once the views are folded to the ledger head');
    const server = { ...service, url };
    listening(server);
    // Listening, the process would outlive a start that failed: it is stopped, and the failure reported.
    const serving = await service.begin().catch(async (error: unknown) => {
      await service.stop('the start failed');
      throw error;
    });
    // Stopped while it folded (a signal): it never served.
    if (!serving) return server;
    service.logger.info(
      { url, ledger: service.ledgerDescription, dataDir: config.dataDir, docs: `${url}/docs` },
      'assurance ledger serving',
    );
    return server;
  } catch (error) {
    throw asStorageFull(error, config.dataDir) ?? error;
  }
};

/**
 * The whole service as `serve` runs it, ready but not listening: `startServer` listens on it,
 * and `ledger openapi` asks it for the API description it would serve.
 */
export const openLedgerService = async (
  config: Config,
  print: (text: string) => void = (t) => process.stdout.write(t + '\n'),
): Promise<LedgerService> => {
  const logger = pino({ level: config.logLevel, name: 'assurance-ledger', serializers: { req: requestForLog } });
  // The figures read at scrape time come from parts opened below; a scrape only happens once the app listens.
  const metrics = createLedgerMetrics({
    dataDir: config.dataDir,
    events: { headPosition: () => store.headPosition(), readAll: (options) => store.readAll(options) },
    projections: () => projections.map((p) => ({ name: p.name, position: readModels.readStore.checkpoint(p.name)?.position ?? -1n })),
    latestCheckpoint: () => ledger.checkpoints.latest(),
    operations: { latest: (kind) => backend.operations.latest(kind) },
    accessLogBacklog: () => backend.accessLog.backlog?.() ?? 0,
    readWorkers: () => readModels.viewPool?.state(),
  });
  const backend = await openBackend(config, {
    onClockBehind: createClockWatch({ warn: (message, details) => logger.error(details, message) }),
    onAppendBatch: metrics.observeBatch,
  });
  const store = timeAppends(backend.events, metrics.observeAppend);
  const instance = `${os.hostname()}:${process.pid}`;
  // One organisation directory for access control, imports and the read models: an alias an import learns is seen by all three.
  const organisationAliases = createOrganisationAliases(backend.learnedAliases);
  // Access control is always wired here: there is no setting that serves the ledger without it.
  const access = createAccessControl({
    keys: backend.keys,
    log: backend.accessLog,
    directory: organisationAliases,
    settings: config.access,
  });
  // Before anything is written: an empty ledger beside a kept checkpoint over events was lost, and does not start.
  await refuseLostLedger({
    events: store,
    keptCheckpointFile: path.join(config.dataDir, KEPT_CHECKPOINT_FILE),
    ledgerDescription: backend.description,
    backendKind: backend.kind,
  }).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  // Before anything is written: a ledger whose key is missing or replaced does not start.
  const { key, generated, rotation } = await openSigningKeyInForce({
    source: { ...config.signingKey, dataDir: config.dataDir },
    events: store,
    checkpoints: backend.integrity.checkpoints,
    replaceLostKey: config.replaceLostSigningKey,
    operator: config.operator,
  });
  if (generated) {
    logger.warn(
      { file: generated, keyId: key.keyId, publicKey: key.publicKeyPem },
      'generated a new ledger signing key: back it up, and publish this public key so auditors can pin it',
    );
  }
  if (rotation) {
    logger.error(
      {
        from: rotation.from.keyId,
        to: rotation.to.keyId,
        position: String(rotation.position),
        reason: rotation.reason,
        publicKey: key.publicKeyPem,
      },
      `recorded in the ledger that signing key ${rotation.from.keyId} was lost and replaced by ${rotation.to.keyId}: publish the ` +
        `new public key; exports verify against it, not against the lost one`,
    );
  }
  const firstKey = await ensureFirstAdminKey(access.keys, config.operator.organisation, print);
  if (firstKey) logger.warn({ keyId: firstKey.keyId }, 'first start: created an admin key (printed once on stdout, not logged)');
  if (config.demoData) {
    const demo = await loadDemoData({ store, aliases: organisationAliases, actor: config.operator });
    for (const s of demo ?? [])
      logger.info(
        { planId: s.planId, file: s.file, events: s.events, recorded: s.recorded, warnings: s.warnings.length },
        `demo data: imported "${s.title}"`,
      );
    if (demo)
      logger.info(
        'the ledger was empty, so the example plans in examples/plans were imported (turn off with --no-demo or LEDGER_DEMO_DATA=false)',
      );
  }
  // Until the start has folded the views to the ledger's head (begin, below), only what reads no views answers.
  const start = startProgress(logger);
  const readModels = openReadModels({
    store,
    workerReads: backend.workerReads,
    dataDir: config.dataDir,
    directory: organisationAliases,
    readWorkers: config.readWorkers,
    onReadWorkerError: (err) => logger.error({ err }, 'a view worker failed: its parts of reads are read on the main thread'),
    runner: {
      onError: (err) => {
        logger.error({ err }, 'projection catch-up failed');
        start.failed();
      },
      onViewsDropped: (message) => logger.warn(message),
    },
  });
  const integrity = createLedgerIntegrity({
    integrity: backend.integrity,
    events: store,
    key,
    keptCheckpointFile: path.join(config.dataDir, KEPT_CHECKPOINT_FILE),
    onTreeDamage: (damage) =>
      logger.error(
        { damage: damage.slice(0, 20), nodes: damage.length },
        'the Merkle node cache did not match the events: the damaged nodes were rebuilt from the events (someone or something ' +
          'changed ledger.db; run `ledger verify`)',
      ),
    onFork: (message, stored, ownRoot) =>
      logger.fatal({ treeSize: stored.treeSize, storedRoot: stored.rootHash, ownRoot, keyId: stored.keyId }, `FORK ALARM: ${message}`),
  });
  // GET /ledger/verify records its outcome where every instance (and /metrics) reads the last verify; those asking together
  // share one run, begun after they asked.
  const ledger = { ...integrity, verify: verificationsInTurn(recordingVerify(integrity.verify, backend.operations, `http:${instance}`)) };
  const schedule = startCheckpointSchedule(ledger.checkpointNow, config.checkpointIntervalMs, {
    signed: (c) => logger.info({ treeSize: c.treeSize, rootHash: c.rootHash }, 'checkpoint signed'),
    failed: (error) =>
      error instanceof CheckpointRefused
        ? logger.error({ err: error, keptCheckpointFile: ledger.keptCheckpointFile }, `refused to sign a checkpoint: ${error.message}`)
        : logger.error({ err: error }, 'signing a checkpoint failed'),
  });
  const startSweeps = () => startLoggedEvidenceSweeps({ backend, store, readModels, graceMs: config.evidence.graceMs, logger });
  let sweeps: ReturnType<typeof startSweeps> | undefined;
  let shuttingDown = false;
  const web = {
    sessions: {
      secret: sessionSecret({ configured: config.web.sessionSecret, signingKey: key.privateKey }),
      ttlSeconds: config.web.sessionSeconds,
    },
    // Discovery happens on the first sign-in, so an identity provider that is down does not stop the ledger starting.
    oidc: config.webOidc && createOidcSignIn(config.webOidc, organisationAliases),
  };
  const app = await buildApp({
    web,
    trustProxy: config.web.trustProxy,
    readModels,
    store,
    logger,
    bodyLimit: config.bodyLimit,
    access,
    organisationAliases,
    isShuttingDown: () => shuttingDown,
    starting: start.why,
    ...(backend.storageHealth ? { storageHealth: backend.storageHealth } : {}),
    ledger,
    operations: backend.operations,
    evidence: { blobs: backend.blobs, settings: config.evidence },
    metrics,
  });
  await app.ready();
  const backups = scheduleBackups(config, backend, logger, instance);

  let stopping: Promise<void> | undefined;
  // A stop ends a start's waits at once: a read of the head waiting to be tried again.
  const startStopped = new AbortController();
  const stop = (reason = 'stop requested') =>
    (stopping ??= (async () => {
      shuttingDown = true;
      startStopped.abort();
      logger.info({ reason }, 'shutting down: finishing in-flight requests');
      // Keep-alive connections that fall idle while in-flight requests finish would hold close() open until their timeout.
      const closeIdle = setInterval(() => app.server.closeIdleConnections(), 100);
      // Past the grace, what is still under way is cut off: a client stalled inside its body would hold the stop open for good.
      const cutOff = setTimeout(() => {
        logger.warn({ graceMs: config.shutdownGraceMs }, 'shutting down: requests still under way after the grace are cut off');
        app.server.closeAllConnections();
      }, config.shutdownGraceMs);
      await app.close().finally(() => (clearInterval(closeIdle), clearTimeout(cutOff)));
      await sweeps?.stop();
      backups?.stop();
      await readModels.close();
      await schedule.stop();
      await ledger.close();
      // Access records still on their way are written, then the ledger is released.
      await backend.close();
      logger.info('stopped');
    })());
  const begin = async () => {
    start.folding();
    try {
      // Catch up before serving, so the first reads are current; then follow the ledger live.
      await readModels.runner.start(start.heard);
      await untilViewsAtHead({
        store,
        runner: readModels.runner,
        stopped: startStopped.signal,
        headReadFailed: (error) => logger.warn({ err: error }, 'reading the ledger head after the fold failed: trying again'),
      });
    } catch (error) {
      start.stopped();
      throw error;
    }
    if (stopping) {
      start.stopped();
      return false;
    }
    sweeps = startSweeps();
    start.done();
    return true;
  };
  return { app, logger, stop, begin, ledgerDescription: backend.description };
};
