import type { SplitView } from './split-views.ts';

/**
 * A split read's parts joined into the view over every plan (split-read.ts): `before`, the chunks
 * before the first holding a plan after the page's cursor, each read with the view's `args` (they
 * list nothing); `first`, the main thread's run of chunks from there on, read with `args`; `later`, each later
 * chunk in plan-id order, read by a worker with `workerArgs` (a page of no findings when the view
 * lists a page: split-views.ts, `paged`). When the main thread's page is not full, the plans after
 * its run (after `restAfter`) are read again with `args` by `readRest`, to list them. Undefined
 * when that read cannot be made: the view is then read on one thread.
 *
 * `test/projections/split-views.property.unit.test.ts` checks on random plans, cuts and pages that
 * this equals the view over all the plans at once.
 */
export const mergeParts = <A, R>(
  view: SplitView<A, R>,
  args: A,
  workerArgs: A,
  before: R[],
  first: R,
  later: R[],
  restAfter: string | undefined,
  readRest: (after: string | undefined) => R | undefined,
): R | undefined => {
  const listed = mergeListed(view, args, workerArgs, first, later, restAfter, readRest);
  // The chunks before a page's cursor, read with its page: they list nothing, and add their figures.
  return listed === undefined ? undefined : [...before, listed].reduce((merged, part) => view.merge(merged, part, args));
};

/** The parts from the first chunk a page may list on, joined. */
const mergeListed = <A, R>(
  view: SplitView<A, R>,
  args: A,
  workerArgs: A,
  first: R,
  later: R[],
  restAfter: string | undefined,
  readRest: (after: string | undefined) => R | undefined,
): R | undefined => {
  // The main thread claimed every chunk (the workers came late): its run is the whole answer.
  if (later.length === 0) return first;
  if (!view.paged || workerArgs === args) return later.reduce((merged, part) => view.merge(merged, part, args), first);
  if (view.paged.full(first, args)) return later.reduce((merged, part) => view.paged!.counted(merged, part), first);
  // The page has room after the main thread's run: the plans after it are read again, to list them.
  const rest = readRest(restAfter);
  return rest === undefined ? undefined : view.merge(first, rest, args);
};
