import type { LineBlock } from './line-blocks.ts';
import type { PartKey } from './line-types.ts';
import { ByteReader, ByteWriter } from './varint.ts';

/**
 * A block of the history as bytes (line-blocks.ts has its meaning): the base's entries, then
 * the changes', each entry's line behind its length so that a reader steps over the lines it
 * will not show. The block's number and first point are the row's own columns.
 *
 *   part count, then each part's key (the entries name a part by its place in this list)
 *   base count, then per entry:    part, last position, first position, line length (-1: none), line
 *   change count, then per change: point, part, last position, first position, line length (-1: none, -2: unchanged), line
 */
const NO_LINE = -1;
const UNCHANGED = -2;

/**
 * The block's parts in the order they were created (by the first position the block gives each, as
 * a reader takes it: the base's, else its first change's), those created together as first met.
 * A reader lists a plan's lines in that order, the document's, and finds them in it without
 * sorting; a business block meets its parts in the order of their days.
 */
const partsInOrder = (block: LineBlock): PartKey[] => {
  const firstPos = new Map<PartKey, number>();
  for (const [part, , , first] of block.base) if (!firstPos.has(part)) firstPos.set(part, first);
  for (const [, part, , , first] of block.changes) if (!firstPos.has(part)) firstPos.set(part, first);
  // Array.prototype.sort is stable: parts with one first position keep the order they were met in.
  return [...firstPos.keys()].sort((a, b) => firstPos.get(a)! - firstPos.get(b)!);
};

export const encodeBlock = (block: LineBlock): Uint8Array => encodeBlockListing(block, partsInOrder(block));

/**
 * A block as bytes, its table naming `parts` (every part it holds, once each) in that order.
 * Blocks are written with the parts in the order they were created (encodeBlock); a block an
 * earlier release wrote lists them as it met them, and a reader still reads it.
 */
export const encodeBlockListing = (block: LineBlock, parts: readonly PartKey[]): Uint8Array => {
  const w = new ByteWriter();
  const index = new Map<PartKey, number>();
  for (const part of parts) index.set(part, index.size);
  w.int(index.size);
  for (const part of index.keys()) w.text(part);
  const line = (l: Uint8Array | null | 0) => {
    if (l === null || l === 0) return w.int(l === null ? NO_LINE : UNCHANGED);
    w.int(l.length);
    w.raw(l);
  };
  w.int(block.base.length);
  for (const [part, l, lastPos, firstPos] of block.base) {
    w.int(index.get(part)!);
    w.int(lastPos);
    w.int(firstPos);
    line(l);
  }
  w.int(block.changes.length);
  for (const [at, part, l, lastPos, firstPos] of block.changes) {
    w.int(at);
    w.int(index.get(part)!);
    w.int(lastPos);
    w.int(firstPos);
    line(l);
  }
  return w.done();
};

const readParts = (r: ByteReader): PartKey[] => {
  const parts: PartKey[] = new Array(r.int());
  for (let i = 0; i < parts.length; i++) parts[i] = r.text();
  return parts;
};

/** A line's length as stored, and the line itself (a copy) or its absence. */
const readLine = (r: ByteReader): Uint8Array | null | 0 => {
  const length = r.int();
  if (length === NO_LINE) return null;
  if (length === UNCHANGED) return 0;
  const l = r.bytes.slice(r.at, r.at + length);
  r.at += length;
  return l;
};

/** The whole block, for a writer carrying the history on. */
export const decodeBlock = (seq: number, first: number, bytes: Uint8Array): LineBlock => {
  const r = new ByteReader(bytes);
  const parts = readParts(r);
  const base: LineBlock['base'] = new Array(r.int());
  for (let i = 0; i < base.length; i++) {
    const part = parts[r.int()]!;
    const lastPos = r.int();
    const firstPos = r.int();
    base[i] = [part, readLine(r) as Uint8Array | null, lastPos, firstPos];
  }
  const changes: LineBlock['changes'] = new Array(r.int());
  for (let i = 0; i < changes.length; i++) {
    const at = r.int();
    const part = parts[r.int()]!;
    const lastPos = r.int();
    const firstPos = r.int();
    changes[i] = [at, part, readLine(r), lastPos, firstPos];
  }
  return { seq, first, base, changes };
};

/**
 * The parts of a block at a point (its base and its changes up to the point), side by side by
 * the part's number in the block: whether it stands there, where its line starts in the bytes
 * (-1: none), and its last and first positions. What a reader needs, without copying or
 * decoding a line.
 */
export interface PartsAt {
  parts: PartKey[];
  present: boolean[];
  line: number[];
  lastPos: number[];
  firstPos: number[];
}

export const partsAt = (bytes: Uint8Array, at: number): PartsAt => {
  const r = new ByteReader(bytes);
  const parts = readParts(r);
  const n = parts.length;
  const found: PartsAt = {
    parts,
    present: new Array(n).fill(false),
    line: new Array(n).fill(-1),
    lastPos: new Array(n).fill(0),
    firstPos: new Array(n).fill(0),
  };
  for (let count = r.int(); count > 0; count--) {
    const i = r.int();
    found.lastPos[i] = r.int();
    found.firstPos[i] = r.int();
    const length = r.int();
    found.present[i] = true;
    found.line[i] = length === NO_LINE ? -1 : r.at;
    if (length > 0) r.at += length;
  }
  for (let count = r.int(); count > 0; count--) {
    if (r.int() > at) break;
    const i = r.int();
    found.lastPos[i] = r.int();
    const firstPos = r.int();
    const length = r.int();
    if (!found.present[i]) {
      found.present[i] = true;
      found.firstPos[i] = firstPos;
    }
    if (length !== UNCHANGED) found.line[i] = length === NO_LINE ? -1 : r.at;
    if (length > 0) r.at += length;
  }
  return found;
};
