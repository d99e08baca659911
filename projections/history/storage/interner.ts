/** Gives each distinct value an id (the history's writers). */
export type Intern = (value: unknown) => number;

/**
 * Gives values ids for the history's value table. Ids are handed out from `start` in steps of
 * `stride`, so a rebuild's worker threads never hand out the same id (worker w of n starts at
 * first + w, steps n). Each writer remembers the ids it gave recently and reuses them; a value
 * it has forgotten gets a new id, which costs a little space and nothing else.
 */
export const createInterner = (start: number, stride = 1, remember = 200_000) => {
  let next = start;
  let known = new Map<string, number>();
  let fresh: [number, string][] = [];
  const intern: Intern = (value) => {
    const json = JSON.stringify(value);
    const id = known.get(json);
    if (id !== undefined) return id;
    if (known.size >= remember) known = new Map();
    const given = next;
    next += stride;
    known.set(json, given);
    fresh.push([given, json]);
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
