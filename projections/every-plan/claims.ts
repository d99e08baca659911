/**
 * Which chunks of a read each thread takes (split-read.ts): the main thread from the first chunk on,
 * the workers from the last back, each claim counted in memory all the threads share, so no chunk is
 * taken twice and none is left while a thread is free. The main thread's chunks are then one run of
 * plans from the first, which it reads as one walk, with the page of findings it lists.
 */
const TAKEN = 0;
const FROM_BACK = 1;

export const newClaims = (): SharedArrayBuffer => new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);

/** Claims chunks from the first on (the main thread alone): the next chunk's index, or undefined once all are taken. */
export const claimFromFront = (claims: SharedArrayBuffer, chunks: number) => {
  const counts = new Int32Array(claims);
  let next = 0;
  return (): number | undefined => (Atomics.add(counts, TAKEN, 1) < chunks ? next++ : undefined);
};

/** Claims a chunk from the last back (any worker): its index, or undefined once all are taken. */
export const claimFromBack = (claims: SharedArrayBuffer, chunks: number): number | undefined => {
  const counts = new Int32Array(claims);
  if (Atomics.add(counts, TAKEN, 1) >= chunks) return undefined;
  return chunks - 1 - Atomics.add(counts, FROM_BACK, 1);
};
