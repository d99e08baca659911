import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';

/** How long a folding thread has to stop by itself once told to, before it is terminated. */
export const STOP_GRACE_MS = 10_000;

/**
 * Stops a thread that was told to stop (it closes what it holds and lets its port go): it is waited
 * for to end by itself, and terminated only if it has not within the grace. A thread terminated
 * while it deflates a snapshot can be caught between making a zlib handle and setting it up, and
 * Node then aborts the whole process when that handle is collected ("close before init",
 * src/node_zlib.cc); a thread that ends by itself never is.
 */
export const stopWorker = async (worker: Worker, graceMs = STOP_GRACE_MS): Promise<void> => {
  if (worker.threadId === -1) return; // already ended
  const ended = once(worker, 'exit').then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
    timer.unref();
  });
  try {
    if (!(await Promise.race([ended, late]))) await worker.terminate();
  } finally {
    clearTimeout(timer);
  }
};
