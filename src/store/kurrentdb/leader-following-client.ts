import type { EngineClient } from './engine-client.ts';
import { isNotLeader } from './engine-errors.ts';

/** How long a replaced connection is kept for the calls still running on it. */
const RETIRE_AFTER_MS = 10_000;
/**
 * At most one new connection a second: a connection string naming one node of a cluster finds
 * that same node again, and an election takes a moment; neither should open a client per call.
 */
const REPLACE_AT_MOST_EVERY_MS = 1000;

/**
 * A KurrentDB client that follows the leader of a cluster after an election, for the one call
 * the client itself does not follow it on.
 *
 * Client 1.3.1 sends multi-stream appends over KurrentDB's v2 API. A node that is no longer
 * the leader refuses them with FAILED_PRECONDITION and NotLeaderNodeErrorDetails (KurrentDB
 * 25.1, src/KurrentDB.Api.V2/Infrastructure/ApiCallback.cs: NotHandledReason.NotLeader →
 * ApiErrors.NotLeaderNode); the client turns that into an UnknownError, and its reconnection
 * (dist/Client/index.js, shouldReconnect) follows only NotLeaderError, UnavailableError and
 * CancelledError. Left alone, every write would keep going to the old leader until the process
 * restarts. So on that refusal this wrapper opens a new client, which discovers the leader
 * afresh, and later calls use it; the refused call itself fails as transient (engine-errors.ts),
 * so the appender sends it again, to the new leader.
 *
 * The replaced client is disposed of a little later, so calls still running on it finish; its
 * `$all` subscription then ends and the ledger follower subscribes again through the new one.
 */
export const leaderFollowingClient = (open: () => EngineClient, first: EngineClient = open()): EngineClient => {
  let current = first;
  let replacedAt = 0;
  const retired = new Set<EngineClient>();
  const timers = new Set<NodeJS.Timeout>();

  const retire = (client: EngineClient) => {
    retired.add(client);
    const timer = setTimeout(() => {
      timers.delete(timer);
      retired.delete(client);
      void client.dispose().catch(() => undefined);
    }, RETIRE_AFTER_MS);
    timer.unref();
    timers.add(timer);
  };

  /** Replaces the client that was refused, once, however many calls it refused at the same time. */
  const replace = (refused: EngineClient) => {
    if (refused !== current || Date.now() - replacedAt < REPLACE_AT_MOST_EVERY_MS) return;
    replacedAt = Date.now();
    current = open();
    retire(refused);
  };

  return {
    async multiStreamAppend(requests) {
      const client = current;
      try {
        return await client.multiStreamAppend(requests);
      } catch (error) {
        if (isNotLeader(error)) replace(client);
        throw error;
      }
    },
    readStream: (streamName, options) => current.readStream(streamName, options),
    readAll: (options) => current.readAll(options),
    subscribeToAll: (options) => current.subscribeToAll(options),
    // Stream metadata goes over the v1 API, whose NotLeaderError the client follows itself.
    getStreamMetadata: (streamName) => current.getStreamMetadata(streamName),
    setStreamMetadata: (streamName, metadata, options) => current.setStreamMetadata(streamName, metadata, options),
    async dispose() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const all = [current, ...retired];
      retired.clear();
      await Promise.all(all.map((client) => client.dispose()));
    },
  };
};
