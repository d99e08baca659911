import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How a snapshot's document is kept: its JSON, deflated. A plan's document repeats the same
 * keys and organisation names in every item, so it shrinks about tenfold (65 KiB to 6 KiB at
 * 500 events), and inflating it costs a tenth of parsing it. That is what lets snapshots be
 * kept every 100 events of a plan rather than every 500 without the read store growing:
 * a snapshot's size grows with its plan, so their total grows with the square of a plan's
 * events divided by the spacing.
 */
export const packSnapshot = (doc: unknown): Uint8Array => deflateRawSync(JSON.stringify(doc));

/** The document a snapshot holds, as the JSON it was written from. */
export const unpackSnapshot = (bytes: Uint8Array): string => inflateRawSync(bytes).toString('utf8');
