import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import { loadSigningKey, type LedgerSigningKey } from '../../src/integrity/signing-key.ts';
import type { AppendDurability } from '../../src/store/port.ts';
import { collect } from '../support/collect.ts';
import { makeEvents, uniqueId } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Opens the embedded ledger in a data dir, as `serve` and the CLI do. */
export const openLedger = (dataDir: string, appendDurability?: AppendDurability): Promise<Backend> =>
  openBackend({ store: { kind: 'sqlite' }, dataDir }, appendDurability ? { appendDurability } : {});

/**
 * Appends `rounds` commands to each of `streams` (round-robin, so streams interleave), each of
 * 1–3 events and with a request fingerprint, as the service records commands.
 */
export const seedCommands = async (backend: Backend, streams: string[], rounds: number): Promise<void> => {
  for (let round = 0; round < rounds; round++)
    for (const stream of streams) {
      const commandId = uniqueId('c');
      await backend.events.append({
        stream,
        events: makeEvents(1 + ((round + stream.length) % 3), commandId),
        expectedRevision: 'any',
        commandId,
        requestFingerprint: `fingerprint-${commandId}`,
      });
    }
};

/** Signs a checkpoint of the whole ledger with the data dir's key, as the service does. */
export const signCheckpoint = async (backend: Backend, dataDir: string, key: LedgerSigningKey) => {
  const ledger = createLedgerIntegrity({
    integrity: backend.integrity,
    events: backend.events,
    key,
    keptCheckpointFile: path.join(dataDir, KEPT_CHECKPOINT_FILE),
  });
  const { checkpoint } = await ledger.checkpointNow();
  await ledger.close();
  return checkpoint!;
};

/** Everything a copy must carry, read through the ports: equal snapshots mean an identical ledger. */
export const snapshot = async (backend: Backend) => {
  const events = await collect(backend.events.readAll());
  const commandIds = [...new Set(events.map((e) => e.commandId))];
  return {
    events,
    commands: await Promise.all(commandIds.map((id) => backend.events.findCommand(id))),
    heads: await collect(backend.integrity.streamHeads()),
    checkpoints: await backend.integrity.checkpoints.all(),
  };
};

/**
 * A source ledger in a data dir of its own (three plans' streams, two signed checkpoints, a
 * few commands after the last), its signing key, and an empty target dir; all removed after.
 */
export const useSourceAndTarget = () => {
  const ctx = {} as {
    sourceDir: string;
    targetDir: string;
    key: LedgerSigningKey;
    source: Backend;
    open: Backend[];
    target(): Promise<Backend>;
  };
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    dir = makeTempDir('ledger-copy-');
    ctx.sourceDir = path.join(dir.path, 'source');
    ctx.targetDir = path.join(dir.path, 'target');
    ctx.key = loadSigningKey({ dataDir: ctx.sourceDir }).key;
    ctx.open = [];
    ctx.source = await openLedger(ctx.sourceDir);
    ctx.open.push(ctx.source);
    ctx.target = async () => {
      const target = await openLedger(ctx.targetDir, 'at-close');
      ctx.open.push(target);
      return target;
    };
    const streams = ['plan-dorset', 'plan-devon', 'plan-kent'];
    await seedCommands(ctx.source, streams, 4);
    await signCheckpoint(ctx.source, ctx.sourceDir, ctx.key);
    await seedCommands(ctx.source, streams, 3);
    await signCheckpoint(ctx.source, ctx.sourceDir, ctx.key);
    await seedCommands(ctx.source, streams, 2);
  });
  afterEach(async () => {
    for (const backend of ctx.open) await backend.close();
    dir.remove();
  });
  return ctx;
};
