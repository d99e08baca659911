/** Gives each distinct value an id (the history's writers). */
export type Intern = (value: unknown) => number;

/** How much a writer remembers at most: values, and the characters of their keys (the texts dominate). */
const REMEMBER_VALUES = 200_000;
const REMEMBER_CHARS = 16 * 2 ** 20;

/**
 * Gives values ids for the history's value table. Ids are handed out from `start` in steps of
 * `stride`, so a rebuild's worker threads never hand out the same id (worker w of n starts at
 * first + w, steps n). Each writer remembers the ids it gave recently and reuses them; a value
 * it has forgotten gets a new id, which costs a little space and nothing else. What it
 * remembers is bounded by count and by characters, so a ledger of long texts cannot make
 * each rebuild worker hold more than a few tens of megabytes of them.
 */
export const createInterner = (start: number, stride = 1, remember = { values: REMEMBER_VALUES, chars: REMEMBER_CHARS }) => {
  let next = start;
  // Strings (most values: titles, texts, names) are their own key, so only other values are serialised to be looked up.
  let strings = new Map<string, number>();
  let others = new Map<string, number>();
  let chars = 0;
  let fresh: [number, string][] = [];
  const intern: Intern = (value) => {
    const isString = typeof value === 'string';
    const key = isString ? value : JSON.stringify(value);
    const id = (isString ? strings : others).get(key);
    if (id !== undefined) return id;
    if (strings.size + others.size >= remember.values || chars >= remember.chars) {
      strings = new Map();
      others = new Map();
      chars = 0;
    }
    const given = next;
    next += stride;
    (isString ? strings : others).set(key, given);
    chars += key.length;
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
