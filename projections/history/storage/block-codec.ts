import type { LineBlock } from './line-blocks.ts';
import type { PartKey } from './line-types.ts';
import { ByteReader, ByteWriter } from './varint.ts';

/**
 * A block of the history as bytes (line-blocks.ts has its meaning): the base's entries, then
 * the changes', each entry's line behind its length so that a reader steps over the lines it
 * will not show. The block's number and first point are the row's own columns.
 *
 *   base count, then per entry:    part, last position, first position, line length (-1: none), line
 *   change count, then per change: point, part, last position, first position, line length (-1: none, -2: unchanged), line
 */
const NO_LINE = -1;
const UNCHANGED = -2;

export const encodeBlock = (block: LineBlock): Uint8Array => {
  const w = new ByteWriter();
  const line = (l: Uint8Array | null | 0) => {
    if (l === null || l === 0) return w.int(l === null ? NO_LINE : UNCHANGED);
    w.int(l.length);
    w.raw(l);
  };
  w.int(block.base.length);
  for (const [part, l, lastPos, firstPos] of block.base) {
    w.text(part);
    w.int(lastPos);
    w.int(firstPos);
    line(l);
  }
  w.int(block.changes.length);
  for (const [at, part, l, lastPos, firstPos] of block.changes) {
    w.int(at);
    w.text(part);
    w.int(lastPos);
    w.int(firstPos);
    line(l);
  }
  return w.done();
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
  const base: LineBlock['base'] = new Array(r.int());
  for (let i = 0; i < base.length; i++) {
    const part = r.text();
    const lastPos = r.int();
    const firstPos = r.int();
    base[i] = [part, readLine(r) as Uint8Array | null, lastPos, firstPos];
  }
  const changes: LineBlock['changes'] = new Array(r.int());
  for (let i = 0; i < changes.length; i++) {
    const at = r.int();
    const part = r.text();
    const lastPos = r.int();
    const firstPos = r.int();
    changes[i] = [at, part, readLine(r), lastPos, firstPos];
  }
  return { seq, first, base, changes };
};

/** Where a part's line stands at a point: its line's offset in the block's bytes (-1: none), last and first positions. */
export interface PartAt {
  line: number;
  lastPos: number;
  firstPos: number;
}

/**
 * The parts of a block at a point (its base and its changes up to the point), each naming where
 * its line starts in the bytes: what a reader needs, without copying or decoding a line.
 */
export const partsAt = (bytes: Uint8Array, at: number): Map<PartKey, PartAt> => {
  const parts = new Map<PartKey, PartAt>();
  const r = new ByteReader(bytes);
  for (let n = r.int(); n > 0; n--) {
    const part = r.text();
    const lastPos = r.int();
    const firstPos = r.int();
    const length = r.int();
    parts.set(part, { line: length === NO_LINE ? -1 : r.at, lastPos, firstPos });
    if (length > 0) r.at += length;
  }
  for (let n = r.int(); n > 0; n--) {
    if (r.int() > at) break;
    const part = r.text();
    const lastPos = r.int();
    const firstPos = r.int();
    const length = r.int();
    const known = parts.get(part);
    const line = length === UNCHANGED ? (known?.line ?? -1) : length === NO_LINE ? -1 : r.at;
    parts.set(part, { line, lastPos, firstPos: known?.firstPos ?? firstPos });
    if (length > 0) r.at += length;
  }
  return parts;
};
