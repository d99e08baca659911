import fs from 'node:fs';
import path from 'node:path';
import { openAccessLogRetentionStreams } from '../../access/kurrentdb/access-log-retention-streams.ts';
import { openAccessLogStream } from '../../access/kurrentdb/access-log-stream.ts';
import { openKeyStream } from '../../access/kurrentdb/key-stream.ts';
import { openKurrentIntegrityStore } from '../../integrity/kurrentdb/integrity-store.ts';
import { openLearnedAliasStream } from '../../organisations/kurrentdb/learned-alias-stream.ts';
import { openOperationStreams } from '../../operations/kurrentdb/operations-streams.ts';
import { connectKurrentDB, engineAddress, EngineUnreachable, splitConnectionString } from '../../store/kurrentdb/connection.ts';
import { ledgerNames } from '../../store/kurrentdb/stream-names.ts';
import { openKurrentEventStore } from '../../store/kurrentdb/kurrentdb-event-store.ts';
import { PositionIndexDiverged } from '../../store/kurrentdb/position-indexer.ts';
import { StoreUnavailable } from '../../store/port.ts';
import { openFilesystemBlobStore } from '../../blobs/filesystem/filesystem-blob-store.ts';
import { BackendUnavailable, evidenceDirOf, NoLedger, type Backend, type BackendOpener, type BackendOptions } from '../backend.ts';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';

/**
 * This instance's dense position index of the ledger (and its Merkle nodes): local, derived, rebuilt
 * when deleted. `.v2`: each entry keeps the ledger time there; an earlier release's index (the name
 * without it) lacks it, and is left to that release, which may still run on this data dir.
 */
export const positionIndexFile = (dataDir: string, namespace = 'ledger') =>
  path.join(dataDir, namespace === 'ledger' ? 'kurrentdb-positions.v2.db' : `kurrentdb-positions-${namespace}.v2.db`);

/**
 * How long the start-up check may keep trying: what is left of 12 s since the process began, and
 * at least 3 s, so a service or command on an engine that does not answer stops about 12 s after
 * it was launched, or 3 s after its code loaded where loading took longer on a busy machine.
 */
const startupWindowMs = () => Math.max(3000, 12_000 - Math.round(process.uptime() * 1000));

/**
 * The KurrentDB backend: the ledger, its command markers, signed checkpoints, API keys, the
 * access log and learned aliases all live in the engine, shared by every instance; each
 * instance keeps only derived, rebuildable state in its data dir (the position index with the
 * Merkle nodes, the read models, the kept checkpoint). Opening it proves the engine answers
 * (within the start-up window below, else one line naming the address) and catches the index up.
 */
export const openKurrentBackend: BackendOpener<{ kind: 'kurrentdb'; connectionString: string }> = async (setting, options) => {
  const address = engineAddress(setting.connectionString);
  const { client: clientConnectionString, namespace } = splitConnectionString(setting.connectionString);
  let names;
  let client;
  try {
    names = ledgerNames(namespace);
    client = await connectKurrentDB(clientConnectionString, startupWindowMs());
  } catch (error) {
    if (error instanceof EngineUnreachable) throw new BackendUnavailable(error.message);
    if (error instanceof RangeError) throw new BackendUnavailable(`LEDGER_STORE: ${error.message}`);
    throw error;
  }
  return assembleKurrentBackend({ client, address, names }, options);
};

/** The backend's parts on an engine already reached; the backend owns the client from here and disposes of it on close. */
export const assembleKurrentBackend = async ({ client, address, names }: Engine, options: BackendOptions): Promise<Backend> => {
  fs.mkdirSync(options.dataDir, { recursive: true });
  let events;
  try {
    events = await openKurrentEventStore({
      client,
      address,
      names,
      indexFile: positionIndexFile(options.dataDir, names.namespace),
      ...(options.readPageSize ? { pageSize: options.readPageSize } : {}),
      ...(options.onClockBehind ? { onClockBehind: options.onClockBehind } : {}),
    });
  } catch (error) {
    // The store has let go of the client already; what is left is one line for the operator.
    if (error instanceof StoreUnavailable || error instanceof PositionIndexDiverged) throw new BackendUnavailable(error.message);
    throw error;
  }
  const parts: { close(): Promise<void> }[] = [];
  try {
    if (options.create === false && (await events.count()) === 0) throw new NoLedger(`KurrentDB at ${address}`);
    const integrity = openKurrentIntegrityStore(events);
    const keys = openKeyStream(events.context);
    const accessLog = openAccessLogStream(events.context);
    parts.push(accessLog);
    const learnedAliases = await openLearnedAliasStream(events.context);
    const operations = openOperationStreams(events.context);
    const accessLogRetention = openAccessLogRetentionStreams(events.context);
    parts.push(learnedAliases, operations, accessLogRetention, integrity);
    let closing: Promise<void> | undefined;
    return {
      kind: 'kurrentdb',
      description: `KurrentDB ledger ${names.prefix}* at ${address}`,
      events,
      integrity,
      keys,
      accessLog,
      accessLogRetention,
      learnedAliases,
      // Files are not events: a volume every instance mounts holds them beside the engine (docs/evidence.md).
      blobs: openFilesystemBlobStore(options.evidenceDir ?? evidenceDirOf(options.dataDir)),
      operations,
      // No `backup`: the engine's own backup procedure keeps the ledger (docs/operations.md#kurrentdb).
      // Worker threads would each need their own engine connection and index; rebuilds fold on one thread.
      workerReads: undefined,
      // What records and reads first, the event store (which lets go of the engine) last.
      close: () =>
        (closing ??= (async () => {
          for (const part of parts) await part.close();
          await events.close();
        })()),
    };
  } catch (error) {
    for (const part of parts) await part.close().catch(() => undefined);
    await events.close();
    if (error instanceof StoreUnavailable) throw new BackendUnavailable(error.message);
    throw error;
  }
};
