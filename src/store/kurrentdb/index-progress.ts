import { BACKWARDS, END } from '@kurrent/kurrentdb-client';
import type { EngineClient } from './engine-client.ts';
import { ledgerFilter } from './position-indexer.ts';
import type { LedgerNames } from './stream-names.ts';

/**
 * Progress of the position index's catch-up at open, in lines for the operator. The first start
 * of an instance on a large existing ledger reads the whole ledger from the engine before it
 * serves (minutes for millions of events); without a line now and then it looks hung. Lines
 * come at most every `everyMs`, so a short catch-up prints nothing; the last says how it ended.
 * The share is of the engine's log up to its last ledger event (log positions are byte offsets:
 * a fair measure of what is left, not an event count).
 */
export interface IndexProgressOptions {
  file: string;
  address: string;
  /** The index size when the catch-up began. */
  startSize: bigint;
  /** The engine's log position of its last ledger event, when known. */
  headCommit: bigint | undefined;
  print: (line: string) => void;
  everyMs?: number;
  now?: () => number;
}

export const indexProgress = ({ file, address, startSize, headCommit, print, everyMs = 5000, now = Date.now }: IndexProgressOptions) => {
  const started = now();
  let lastPrinted = started;
  let printed = false;
  const rate = (size: bigint, at: number) => Math.round((Number(size - startSize) * 1000) / Math.max(at - started, 1));
  return {
    /** The index grew to `size`, its last event at log position `commit`. */
    advanced(size: bigint, commit: bigint | undefined): void {
      const at = now();
      if (at - lastPrinted < everyMs) return;
      lastPrinted = at;
      printed = true;
      const share =
        headCommit && headCommit > 0n && commit !== undefined
          ? `, ${Math.min(100, Number((commit * 1000n) / headCommit) / 10).toFixed(1)}% of the engine's log`
          : '';
      print(`indexing the ledger in KurrentDB at ${address} into ${file}: ${size} events${share}, ${rate(size, at)} events/s`);
    },
    /** The catch-up at open ended with the index at `size`. */
    done(size: bigint): void {
      if (!printed) return;
      const seconds = ((now() - started) / 1000).toFixed(1);
      print(`indexed the ledger in KurrentDB at ${address}: ${size} events (${size - startSize} new) in ${seconds} s`);
    },
  };
};

/** The log position of the ledger's last event in the engine (undefined: none, or the engine did not say). */
export const lastLedgerCommit = async (client: EngineClient, names: LedgerNames): Promise<bigint | undefined> => {
  try {
    for await (const record of client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      maxCount: 1,
      filter: ledgerFilter(names),
      requiresLeader: true,
    })) {
      return record.event?.position?.commit;
    }
  } catch {
    // Only the progress lines' share depends on it: they do without.
  }
  return undefined;
};
