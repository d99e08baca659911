import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { isEntryWise } from '../json-entries.ts';
import { Utf8Text } from './utf8-text.ts';

/** An own property, as JSON.parse makes one, even when named __proto__ (which assignment would take as the prototype). */
const setOwn = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });

// One buffer for every snapshot of a thread: packing never nests, and deflating copies the bytes out.
const snapshotText = new Utf8Text();

/**
 * How a snapshot's document is kept: JSON, deflated. A plan's document repeats the same keys and
 * organisation names in every item, so it shrinks about tenfold (65 KiB to 6 KiB at 500 events),
 * and inflating it costs less than parsing it. That is what lets snapshots be kept every 100
 * events of a plan rather than every 500 without the read store growing: a snapshot's size grows
 * with its plan, so their total grows with the square of a plan's events divided by the spacing.
 *
 * The JSON is written in lines, because turning inflated bytes into one string of a few hundred
 * KB costs V8 far more per byte than turning them into many small strings: at 5,000 events a
 * plan's 290 KB document took about 1 ms to become a string and 1 ms to parse whole, against
 * 1 ms for both in lines of at most 45 KB (docs/projections.md).
 * - The first line is the document with each object or array it holds directly left empty.
 * - Each further line is `[name, key, value]`: one entry of such an object (key a string) or array
 *   (key its index), in order, so the document reads back with its keys in their order.
 * JSON.stringify escapes every newline inside a string and UTF-8 never puts the newline byte in a
 * longer character, so a newline byte always ends a line. A snapshot kept before the lines is
 * one line, the whole document, and reads back as it always did; a release before the lines cannot
 * read them, so plan-status went to version 18 with them (its documents are rebuilt, and an older
 * release finds a newer version and does not read them).
 */
export const packSnapshot = (doc: Record<string, unknown>): Uint8Array => {
  const head: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(doc)) setOwn(head, name, !isEntryWise(value) ? value : Array.isArray(value) ? [] : {});
  const text = snapshotText.reset();
  text.write(JSON.stringify(head));
  for (const [name, value] of Object.entries(doc)) {
    if (!isEntryWise(value)) continue;
    const opening = `\n[${JSON.stringify(name)},`;
    const line = (key: string, json: string) => {
      text.write(opening);
      text.write(key);
      text.write(',');
      text.write(json);
      text.write(']');
    };
    // By index: a hole, or an entry JSON cannot write, is null, as JSON.stringify writes it.
    if (Array.isArray(value))
      for (let index = 0; index < value.length; index++) line(String(index), JSON.stringify(value[index]) ?? 'null');
    else
      for (const [key, item] of Object.entries(value)) {
        // A property JSON cannot write (undefined, a function) is left out, as JSON.stringify leaves it.
        const json = JSON.stringify(item) as string | undefined;
        if (json !== undefined) line(JSON.stringify(key), json);
      }
  }
  return deflateRawSync(text.bytes());
};

const NEWLINE = 0x0a;

/** The document a snapshot holds, parsed. */
export const unpackSnapshot = (packed: Uint8Array): unknown => {
  const bytes = inflateRawSync(packed);
  let end = bytes.indexOf(NEWLINE);
  const doc = JSON.parse(bytes.toString('utf8', 0, end === -1 ? bytes.length : end)) as Record<string, Record<string, unknown>>;
  while (end !== -1) {
    const from = end + 1;
    end = bytes.indexOf(NEWLINE, from);
    const [name, key, value] = JSON.parse(bytes.toString('utf8', from, end === -1 ? bytes.length : end)) as [string, string, unknown];
    setOwn(doc[name]!, key, value);
  }
  return doc;
};
