import type { IntegrityStore, LeafHash, StreamHead, VerificationView } from '../port.ts';
import { verifyChainRange } from '../verify-chains.ts';
import type { KurrentEventStore } from '../../store/kurrentdb/kurrentdb-event-store.ts';
import { catchUp } from '../../store/kurrentdb/store-context.ts';
import { kurrentChainRows } from './chain-rows.ts';
import { openCheckpointStream, type ForkAlarm } from './checkpoint-stream.ts';

const HEADS_PAGE = 1000;

/**
 * The integrity port on KurrentDB, beside the event store on the same engine and the same local
 * position index: leaves are the indexed chain hashes by dense position, the Merkle nodes sit in
 * the index file (local, derived, rebuilt with it), and signed checkpoints live in the engine,
 * shared by every instance. Everything that answers "how big is the ledger" first catches the
 * index up with the engine, so an instance never signs or proves against a stale view.
 */
export const openKurrentIntegrityStore = (events: KurrentEventStore, options: { onFork?: ForkAlarm } = {}): IntegrityStore => {
  const ctx = events.context;
  const { index } = ctx;
  const checkpoints = openCheckpointStream(ctx, options.onFork);
  const head = (stream: string): StreamHead | undefined => {
    const entry = index.streamHead(stream);
    return entry && { stream, revision: entry.revision, hash: entry.hash };
  };

  return {
    ledgerSize: () => catchUp(ctx),
    async leafHashes(from, limit): Promise<LeafHash[]> {
      if (from >= index.size()) await catchUp(ctx);
      return index.range(from, limit).map((e) => ({ position: e.position, hash: e.hash }));
    },
    async locateEvent(eventId) {
      let entry = index.byEventId(eventId);
      if (!entry) {
        await catchUp(ctx);
        entry = index.byEventId(eventId);
      }
      return entry && { position: entry.position, hash: entry.hash };
    },
    async streamHead(stream) {
      await catchUp(ctx);
      return head(stream);
    },
    async *streamHeads() {
      await catchUp(ctx);
      let after = '';
      for (;;) {
        const page = index.streamHeads(after, HEADS_PAGE);
        yield* page.map((e) => ({ stream: e.stream, revision: e.revision, hash: e.hash }));
        if (page.length < HEADS_PAGE) return;
        after = page.at(-1)!.stream;
      }
    },
    checkpoints,
    merkleNodes: {
      leaf: (position) => index.at(BigInt(position))?.hash,
      node: (level, idx) => index.merkle.node(level, idx),
      indexedSize: () => index.merkle.indexedSize(),
      store: (nodes) => index.merkle.store(nodes),
      replace: (nodes) => index.merkle.replace(nodes),
      nodesAt: (level, fromIndex, limit) => index.merkle.nodesAt(level, fromIndex, limit),
      prune: (size) => index.merkle.prune(size),
    },
    async verification(check) {
      // Checkpoints first, then the ledger: every checkpoint read was signed over events already committed, so it lies within the size.
      const signed = await checkpoints.all();
      const size = await catchUp(ctx);
      const view: VerificationView = {
        size,
        checkpoints: signed,
        streamCount: async () => index.streamCountBefore(size),
        stampsKept: true,
        async checkChains(request) {
          // A remote engine is read by one thread, in one slice from the start.
          const total = Number(request.size);
          const result = await verifyChainRange(kurrentChainRows(ctx), 0, total, request.checkpointSizes.map(Number), (checked) =>
            request.onProgress?.(checked, total),
          );
          return [{ ...result, from: 0n }];
        },
        // The engine keeps its own storage; the local index is held to it in checkChains. Its command markers are not checked
        // yet (docs/backends.md).
        backendChecks: async () => ({ checked: ['the local position index against the events in the engine (with the chains)'] }),
      };
      return check(view);
    },
    // The index belongs to the event store, which closes it; checkpoint reads finish with their callers.
    close: async () => undefined,
  };
};
