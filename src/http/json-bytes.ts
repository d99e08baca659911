import { hasToJson, isEntryWise } from '../../projections/json-entries.ts';

/**
 * JSON.stringify's text as UTF-8 bytes, made a piece at a time: each entry of the value's
 * collections, and of theirs, is stringified on its own, and the pieces are turned into bytes
 * some kilobytes at a time.
 *
 * Stringified whole, a large answer (one plan at 5,000 events is about 150 KB) is a string V8
 * builds in parts and must flatten into one new string of that size before its length can be
 * counted and its bytes written. On Node 20 that took about 0.9 ms for a 141 KB plan, against 0.5 ms
 * for stringifying it in pieces and joining their bytes (docs/projections.md); small strings
 * need no such copy.
 */
export const jsonBytes = (value: unknown): Buffer => {
  const out = new ByteChunks();
  const top = toWrite(value, '');
  // JSON.stringify gives undefined for these; an answer always has a body, so it is refused here rather than sent empty.
  if (unwritable(top)) throw new TypeError('jsonBytes: JSON has no text for this value');
  writeValue(top, 0, out);
  return out.bytes();
};

/** Below this depth an object's or array's entries are written one by one; from it, whole. */
const SPLIT_DEPTH = 2;

/** An object with more keys than this is written whole. */
const MANY_ENTRIES = 256;

/**
 * Pieces are gathered into text of about this many characters before becoming bytes: one Buffer
 * a piece would cost more than the copy saved.
 */
const CHUNK_CHARACTERS = 16_384;

class ByteChunks {
  private readonly chunks: Buffer[] = [];
  private text = '';
  push(piece: string): void {
    this.text += piece;
    if (this.text.length >= CHUNK_CHARACTERS) this.flush();
  }
  bytes(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
  private flush(): void {
    if (this.text !== '') this.chunks.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }
}

/** The value JSON.stringify writes for one held under `key`: toJSON's answer where it has one, asked with the key. */
const toWrite = (held: unknown, key: string): unknown => (hasToJson(held) ? held.toJSON(key) : held);

/** What JSON.stringify writes nothing for: left out of an object, null in an array. */
const unwritable = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** Writes JSON.stringify's text of a value (toJSON already asked) that JSON can write. */
const writeValue = (value: unknown, depth: number, out: ByteChunks): void => {
  if (depth >= SPLIT_DEPTH || !isEntryWise(value)) {
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    writeArray(value as unknown[], depth, out);
    return;
  }
  const names = Object.keys(value);
  // A many-keyed object: a piece a key would cost more than it saves.
  if (names.length > MANY_ENTRIES) {
    out.push(JSON.stringify(value));
    return;
  }
  out.push('{');
  let first = true;
  for (const name of names) {
    const item = toWrite((value as Record<string, unknown>)[name], name);
    if (unwritable(item)) continue;
    out.push(`${first ? '' : ','}${JSON.stringify(name)}:`);
    writeValue(item, depth + 1, out);
    first = false;
  }
  out.push('}');
};

/**
 * An array's entries, several to a piece: as many as the first one suggests fill about a chunk
 * (a list of numbers a few thousand at once, a plan's actions a few at a time). A run holding an
 * entry with toJSON is written entry by entry, so toJSON is asked with the entry's own index.
 */
const writeArray = (value: unknown[], depth: number, out: ByteChunks): void => {
  out.push('[');
  const sample = value[0];
  const sampleLength = hasToJson(sample) ? CHUNK_CHARACTERS : ((JSON.stringify(sample) as string | undefined)?.length ?? 1);
  const perPiece = Math.max(1, Math.floor(CHUNK_CHARACTERS / Math.max(1, sampleLength)));
  for (let from = 0; from < value.length; from += perPiece) {
    if (from > 0) out.push(',');
    const run = value.slice(from, from + perPiece);
    // A hole in the run is written null, as JSON.stringify writes it.
    if (perPiece > 1 && !run.some(hasToJson)) {
      out.push(JSON.stringify(run).slice(1, -1));
      continue;
    }
    for (let index = from; index < from + run.length; index++) {
      if (index > from) out.push(',');
      const item = toWrite(value[index], String(index));
      if (unwritable(item)) out.push('null');
      else writeValue(item, depth + 1, out);
    }
  }
  out.push(']');
};
