/**
 * Which chunks of a read each thread takes (split-read.ts). The chunks from `first` on hold the
 * plans a page may list: the main thread claims them from `first` on, the workers from the last
 * back, so the main thread's chunks are one run, which it reads as one walk with the page of
 * findings it lists. The chunks before `first` (plans before a page's cursor, only counted) go to
 * any thread that has none of the others left. Each claim is counted in memory all the threads
 * share, so no chunk is taken twice and none is left while a thread is free.
 */
const TAKEN = 0;
const FROM_BACK = 1;
const BEFORE = 2;

export const newClaims = (): SharedArrayBuffer => new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);

/** Claims chunks from `first` on (the main thread alone): the next chunk's index, or undefined once all are taken. */
export const claimFromFront = (claims: SharedArrayBuffer, chunks: number, first: number) => {
  const counts = new Int32Array(claims);
  let next = first;
  return (): number | undefined => (Atomics.add(counts, TAKEN, 1) < chunks - first ? next++ : undefined);
};

/** Claims a chunk from the last back to `first` (any worker): its index, or undefined once all are taken. */
export const claimFromBack = (claims: SharedArrayBuffer, chunks: number, first: number): number | undefined => {
  const counts = new Int32Array(claims);
  if (Atomics.add(counts, TAKEN, 1) >= chunks - first) return undefined;
  return chunks - 1 - Atomics.add(counts, FROM_BACK, 1);
};

/** Claims a chunk before `first` (any thread): its index, or undefined once all are taken. */
export const claimBefore = (claims: SharedArrayBuffer, first: number): number | undefined => {
  const claimed = Atomics.add(new Int32Array(claims), BEFORE, 1);
  return claimed < first ? claimed : undefined;
};
