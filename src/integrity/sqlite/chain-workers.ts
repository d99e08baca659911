import { Worker } from 'node:worker_threads';
import type { ChainSliceResult, Slice } from '../chain-check.ts';
import type { ProgressListener } from '../verify-report.ts';

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * Runs the slices round-robin over `workers` threads, each reading the ledger file on its own
 * read-only connection; results come back in slice order. This is the SQLite ledger's faster
 * way to check chains: the check itself is verify-chains.ts, the same on every backend.
 */
export const checkSlicesInWorkers = async (
  file: string,
  slices: Slice[],
  workers: number,
  checkpointSizes: number[],
  total: number,
  onProgress?: ProgressListener,
): Promise<ChainSliceResult[]> => {
  const entry = new URL('../../typescript-worker-entry.mjs', import.meta.url);
  const module = new URL('./chain-worker.ts', import.meta.url).href;
  const progress = new Array<number>(slices.length).fill(0);
  const results = new Array<ChainSliceResult>(slices.length);
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const mine = slices.filter((slice) => slice.index % workers === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(entry, { workerData: { module, file, slices: mine, checkpointSizes } });
        worker.on('message', (message: { index?: number; progress?: number; result?: Omit<ChainSliceResult, 'from'>; done?: boolean }) => {
          if (message.progress !== undefined) {
            progress[message.index!] = message.progress;
            onProgress?.(
              progress.reduce((a, b) => a + b, 0),
              total,
            );
          }
          if (message.result) {
            // Structured clone turns Buffers into Uint8Arrays.
            const frontiers = message.result.frontiers.map((f) => ({ size: f.size, subtrees: f.subtrees.map((h) => asBuffer(h)) }));
            results[message.index!] = { ...message.result, from: BigInt(slices[message.index!]!.from), frontiers };
          }
          if (message.done) {
            resolve();
            void worker.terminate();
          }
        });
        worker.once('error', reject);
      });
    }),
  );
  return results;
};
