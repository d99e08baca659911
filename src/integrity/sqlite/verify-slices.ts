import { Worker } from 'node:worker_threads';
import type { ProgressListener } from '../verify-report.ts';
import type { ChainRangeResult } from './verify-chains.ts';

/**
 * Below this many events one thread does it (starting threads costs ~0.5 s); above it, threads,
 * which also keeps the server's event loop free: an in-thread check is synchronous.
 */
export const PARALLEL_FROM = 20_000;

export interface Slice {
  index: number;
  from: number;
  to: number;
}

/**
 * Splits [0, total) for `workers` threads. With more than one, every slice but the last holds
 * 2^k events and starts at a multiple of 2^k, so each slice's Merkle subtrees line up with the
 * whole tree's and the slices can be hashed apart; about four slices per thread keeps them even.
 */
export const planSlices = (total: number, workers: number): Slice[] => {
  if (workers <= 1 || total === 0) return [{ index: 0, from: 0, to: total }];
  let size = 1;
  while (size * 2 <= total / (workers * 4)) size *= 2;
  return Array.from({ length: Math.ceil(total / size) }, (_, index) => ({
    index,
    from: index * size,
    to: Math.min(total, (index + 1) * size),
  }));
};

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Runs the slices round-robin over `workers` threads; results come back in slice order. */
export const verifySlicesInWorkers = async (
  file: string,
  slices: Slice[],
  workers: number,
  checkpointSizes: number[],
  total: number,
  onProgress?: ProgressListener,
): Promise<ChainRangeResult[]> => {
  const entry = new URL('../../typescript-worker-entry.mjs', import.meta.url);
  const module = new URL('./chain-worker.ts', import.meta.url).href;
  const progress = new Array<number>(slices.length).fill(0);
  const results = new Array<ChainRangeResult>(slices.length);
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const mine = slices.filter((slice) => slice.index % workers === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(entry, { workerData: { module, file, slices: mine, checkpointSizes } });
        worker.on('message', (message: { index?: number; progress?: number; result?: ChainRangeResult; done?: boolean }) => {
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
            results[message.index!] = { ...message.result, frontiers };
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
