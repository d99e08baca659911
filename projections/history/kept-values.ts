import { keepDueDay } from '../plan-status/dates.ts';
import type { DetailValues } from './line-codec.ts';
import { HistoryChanged } from './storage/history-changed.ts';
import type { HistoryStore } from './storage/history-store.ts';

/** Values kept in memory between reads (dropped all at once, before a read, past this many): the values most lines share stay hot. */
export const REMEMBERED_VALUES = 500_000;

/**
 * The history's values (line-codec.ts: every value longer than a date is an id into its table),
 * kept in this process between reads for one generation of the history (history-reader.ts). A
 * line that names a value not kept yet is noted as missing, for the reader to read all it met at
 * once (`readMissing`) and decode again; a report's details are resolved when it shows them.
 */
export const createKeptValues = (store: Pick<HistoryStore, 'values'>, generation: number, rememberedValues: number) => {
  // An array indexed by id, not a Map: a read of every plan looks up hundreds of thousands of
  // values. Kept dense (`keep`): an array written far past its end becomes a hash table, and
  // its lookups were a tenth of a read.
  let values: unknown[] = [];
  let kept = 0;
  const keep = (id: number, v: unknown) => {
    while (values.length < id) values.push(undefined);
    values[id] = v;
    // A read of every plan asks each action's deadlines for their days: worked out once per value kept, not per read.
    keepDueDay(v);
    kept++;
  };
  let missing = new Set<number>();
  /**
   * Resolves the details of lines read in this generation of the history, when a view reads them
   * (a report, for the actions on its page). Its ids mean nothing once the history is reset, so
   * a new one is made at each reset and an old one refuses rather than answer with other values.
   */
  const detailValuesOf = (of: number): DetailValues => ({
    resolve(ids) {
      const lacking = ids.filter((id) => values[id] === undefined);
      if (lacking.length > 0) {
        if (of !== generation) throw new HistoryChanged('rebuilt');
        for (const [id, v] of store.values(lacking, of)) keep(id, v);
      }
      return ids.map((id) => {
        const v = values[id];
        if (v === undefined) throw new Error(`the history's table of values lacks id ${id}`);
        return v;
      });
    },
  });
  let detailValues = detailValuesOf(generation);
  return {
    /** A value by id, or undefined (noted as missing) when not kept yet. */
    value: (id: number): unknown => {
      const known = values[id];
      if (known === undefined) missing.add(id);
      return known;
    },
    detailValues: () => detailValues,
    /** Whether a line decoded since the last `readMissing` named a value not kept. */
    lacksAny: () => missing.size > 0,
    /** The ids named but not kept (for an error that says which). */
    lacking: () => [...missing],
    /** Reads the values named but not kept, as the generation `read` holds them. */
    readMissing(read: number) {
      const ids = [...missing];
      missing = new Set();
      for (const [id, v] of store.values(ids, read)) keep(id, v);
    },
    /** Before a read (never during one, which may need more than the limit): past the limit, start again. */
    makeRoom() {
      if (kept <= rememberedValues) return;
      values = [];
      kept = 0;
    },
    /** The history was reset: nothing kept means anything in the new generation. */
    reset(now: number) {
      generation = now;
      detailValues = detailValuesOf(now);
      values = [];
      kept = 0;
    },
  };
};
