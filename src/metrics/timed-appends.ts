import type { EventStore } from '../store/port.ts';

/**
 * The event store with each successful append timed, from the call to the moment it is
 * durable: what a writer waits for (queueing, the group commit, its fsync). Every other
 * method is the store's own. Works over any backend.
 */
export const timeAppends = (store: EventStore, observe: (seconds: number) => void): EventStore => ({
  async append(request) {
    const started = performance.now();
    const result = await store.append(request);
    if (!result.replayed) observe((performance.now() - started) / 1000);
    return result;
  },
  readStream: (stream, options) => store.readStream(stream, options),
  readRevisions: (stream, revisions) => store.readRevisions(stream, revisions),
  readAll: (options) => store.readAll(options),
  findCommand: (commandId) => store.findCommand(commandId),
  streamRevision: (stream) => store.streamRevision(stream),
  headPosition: () => store.headPosition(),
  positionAt: (instant) => store.positionAt(instant),
  headLedgerTime: () => store.headLedgerTime(),
  ...(store.stampsKept && { stampsKept: true }),
  count: () => store.count(),
  subscribe: (listener) => store.subscribe(listener),
  close: () => store.close(),
});
