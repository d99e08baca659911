import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { buildApp } from './http/app.ts';
import { startCheckpointSchedule } from './integrity/checkpoint-schedule.ts';
import { loadSigningKey } from './integrity/signing-key.ts';
import { openLedgerIntegrity } from './integrity/sqlite/ledger-integrity.ts';
import { openSqliteEventStore } from './store/sqlite/sqlite-event-store.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  logger: Logger;
  /** Stops taking requests, lets in-flight ones (and their appends) finish, then closes the store. */
  stop: (reason?: string) => Promise<void>;
}

/** Wires configuration, logger and store into the app and listens: the only place that does. */
export const startServer = async (config: Config): Promise<RunningServer> => {
  const logger = pino({ level: config.logLevel, name: 'assurance-ledger' });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = openSqliteEventStore({ file: config.databaseFile });
  const { key, generated } = loadSigningKey({ ...config.signingKey, dataDir: config.dataDir });
  if (generated) {
    logger.warn({ file: generated, keyId: key.keyId, publicKey: key.publicKeyPem }, 'generated a new ledger signing key: publish this public key so auditors can pin it');
  }
  const ledger = openLedgerIntegrity({ file: config.databaseFile, key });
  const schedule = startCheckpointSchedule(ledger.checkpointNow, config.checkpointIntervalMs, {
    signed: (c) => logger.info({ treeSize: c.treeSize, rootHash: c.rootHash }, 'checkpoint signed'),
    failed: (error) => logger.error({ err: error }, 'signing a checkpoint failed'),
  });
  let shuttingDown = false;
  const app = await buildApp({
    store,
    logger,
    bodyLimit: config.bodyLimit,
    operator: config.operator,
    isShuttingDown: () => shuttingDown,
    ledger,
  });
  const url = await app.listen({ port: config.port, host: config.host });
  logger.info({ url, databaseFile: config.databaseFile, docs: `${url}/docs` }, 'assurance ledger listening');

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop requested') =>
    (stopping ??= (async () => {
      shuttingDown = true;
      logger.info({ reason }, 'shutting down: finishing in-flight requests');
      await app.close();
      await schedule.stop();
      await ledger.close();
      await store.close();
      logger.info('stopped');
    })());
  return { app, url, logger, stop };
};

/** SIGINT/SIGTERM stop gracefully; a second signal while stopping exits at once. */
export const stopOnSignals = (server: RunningServer) => {
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (signalled) process.exit(130);
      signalled = true;
      server.stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          server.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
};
