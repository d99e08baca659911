/** Gives each distinct value an id (the history's writers). */
export type Intern = (value: unknown) => number;

/** How much a writer remembers in each of its two generations: values, and the characters of their keys (the texts dominate). */
const REMEMBER_VALUES = 200_000;
const REMEMBER_CHARS = 16 * 2 ** 20;

interface Generation {
  // Strings (most values: titles, texts, names) are their own key, so only other values are serialised to be looked up.
  strings: Map<string, number>;
  others: Map<string, number>;
  chars: number;
}
const generation = (): Generation => ({ strings: new Map(), others: new Map(), chars: 0 });

/**
 * Gives values ids for the history's value table. Ids are handed out from `start` in steps of
 * `stride`, so a rebuild's worker threads never hand out the same id (worker w of n starts at
 * first + w, steps n). Each writer remembers the ids it gave or met recently and reuses them; a
 * value it has forgotten gets a new id, which costs its space in the table again.
 *
 * What it remembers is bounded (by count and by characters, so a ledger of long texts cannot
 * make each rebuild worker hold more than a few tens of megabytes), in two generations: when the
 * current one fills, it becomes the previous one, and a value met there is carried into the
 * current. So the values in use (the texts, organisations and deadlines of the actions being
 * written) are never forgotten however long the ledger, and only those unused for a whole
 * generation are. Revisions and late records, which grow with a plan's age, are not looked up
 * again at all when the writer knows a line still holds them (line-codec.ts, `encodeLine`).
 */
export const createInterner = (start: number, stride = 1, remember = { values: REMEMBER_VALUES, chars: REMEMBER_CHARS }) => {
  let next = start;
  let current = generation();
  let previous = generation();
  let fresh: [number, string][] = [];
  const keep = (isString: boolean, key: string, id: number) => {
    if (current.strings.size + current.others.size >= remember.values || current.chars >= remember.chars) {
      previous = current;
      current = generation();
    }
    (isString ? current.strings : current.others).set(key, id);
    current.chars += key.length;
  };
  const intern: Intern = (value) => {
    const isString = typeof value === 'string';
    const key = isString ? value : JSON.stringify(value);
    const id = (isString ? current.strings : current.others).get(key);
    if (id !== undefined) return id;
    const met = (isString ? previous.strings : previous.others).get(key);
    if (met !== undefined) {
      keep(isString, key, met);
      return met;
    }
    const given = next;
    next += stride;
    keep(isString, key, given);
    fresh.push([given, isString ? JSON.stringify(value) : key]);
    return given;
  };
  return {
    intern,
    /** The values given ids since the last call: to be written with the lines that use them. */
    drain(): [number, string][] {
      const out = fresh;
      fresh = [];
      return out;
    },
  };
};
export type Interner = ReturnType<typeof createInterner>;
