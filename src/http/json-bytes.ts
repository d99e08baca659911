/**
 * JSON.stringify's text as UTF-8 bytes, made a piece at a time: each entry of the value's
 * collections, and of theirs, is stringified on its own.
 *
 * Stringified whole, a large answer (one plan at 5,000 events is about 150 KB) is a string V8
 * builds in parts and must flatten into one new string of that size before its length can be
 * counted and its bytes written. On Node 20 that took about 0.9 ms for a 141 KB plan, against 0.5 ms
 * for stringifying it in pieces and joining their bytes (docs/projections.md); small strings
 * need no such copy.
 */
export const jsonBytes = (value: unknown): Buffer => {
  const pieces: string[] = [];
  writeValue(value, 0, pieces);
  return Buffer.concat(pieces.map((piece) => Buffer.from(piece, 'utf8')));
};

/** Below this depth an object's or array's entries are written one by one; from it, whole. */
const SPLIT_DEPTH = 2;

/** JSON.stringify(value) as pieces; undefined where JSON.stringify would give undefined (nothing to write). */
const writeValue = (value: unknown, depth: number, pieces: string[]): boolean => {
  if (depth >= SPLIT_DEPTH || !isSplittable(value)) {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return false;
    pieces.push(text);
    return true;
  }
  if (Array.isArray(value)) {
    pieces.push('[');
    // By index, not forEach: a hole is written null, as JSON.stringify writes it.
    for (let index = 0; index < value.length; index++) {
      if (index > 0) pieces.push(',');
      // An entry JSON cannot write is null in an array, as JSON.stringify writes it.
      if (!writeValue(value[index], depth + 1, pieces)) pieces.push('null');
    }
    pieces.push(']');
    return true;
  }
  pieces.push('{');
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    const at = pieces.length;
    pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
    // A property JSON cannot write (undefined, a function) is left out, as JSON.stringify leaves it.
    if (writeValue(item, depth + 1, pieces)) first = false;
    else pieces.length = at;
  }
  pieces.push('}');
  return true;
};

/**
 * An array or a plain object without toJSON: what JSON.stringify writes entry by entry. Anything
 * else (a date, a boxed number, a map) it writes its own way, so it is stringified whole.
 */
const isSplittable = (value: unknown): value is object => {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};
