/**
 * The shapes the history is stored in, with nothing else: the runner, the read store and the
 * history's writer and reader all speak them, and none of them needs another's code for it.
 */

/** Which part of a plan a line belongs to: its header (`h`), an action (`a:<ref>`), a recommendation (`r:<ref>`); `k` for corrections. */
export type PartKey = string;

/** A line as stored: a few whole numbers as bytes, its long values ids into the history's table of values (line-codec.ts). */
export type EncodedLine = Uint8Array;
