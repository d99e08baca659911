import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import type { Clocks } from '../clocks/clocks.ts';
import type { PlanLines } from '../plan-status/plan-lines.ts';
import { claimBefore, claimFromFront, newClaims } from './claims.ts';
import { comparePlanIds } from '../plan-id-order.ts';
import { mergeParts } from './merge-parts.ts';
import { splitViews, type AnswerOf, type ArgsOf, type SplitView, type SplitViewName } from './split-views.ts';
import type { HistoryPoint, PlanRange } from './view-protocol.ts';
import type { PartAnswer, ViewPool } from './view-pool.ts';
import { HistoryChanged } from '../history/storage/history-changed.ts';

/**
 * When a read is split: from how many plans (fewer are read on one thread, as the parts' messages
 * would cost more than they save), and in chunks of at least how many plans, at most 32 chunks
 * (enough that the threads finish together, few enough that each is a fetch of many blocks).
 */
export interface SplitOptions {
  fromPlans: number;
  chunkPlans: number;
  /** At most this many chunks for the main thread (tests leave the rest to the workers, however fast this thread is). */
  mainChunks?: number;
}
export const SPLIT: SplitOptions = { fromPlans: 200, chunkPlans: 25 };
const MAX_CHUNKS = 32;

/** What a split read needs of the plan reader (plan-reader.ts). */
export interface SplittableReader {
  planLines(clocks: Clocks): Promise<Iterable<PlanLines>>;
  /** Where the history alone answers a read of every plan at these clocks, or undefined (plans to fold, or the live lines). */
  historyPoint(clocks: Clocks): Promise<HistoryPoint | undefined>;
  /** The plans of a range at the point, from the history alone; undefined when one of them must be folded from the ledger. */
  historyLines(point: HistoryPoint, range: Partial<PlanRange>): Iterable<PlanLines> | undefined;
  planIds(): readonly string[];
  /** Runs `read` in one read transaction, with the state of the history it saw (history-store.ts, `readTogether`). */
  readTogether<T>(read: () => T): { state: string; value: T };
}

/**
 * The plans cut into chunks of about as many each, in plan-id order; the last runs to the end (plans added since included).
 * Never more chunks than plans: a cut is a plan id, and a chunk cut at none would run over every plan, read twice then.
 */
const chunksOf = (ids: readonly string[], chunkPlans: number): PlanRange[] => {
  const count = Math.min(ids.length, Math.max(2, Math.min(MAX_CHUNKS, Math.floor(ids.length / chunkPlans))));
  const cuts = Array.from({ length: count - 1 }, (_, i) => ids[Math.floor(((i + 1) * ids.length) / count) - 1]!);
  return Array.from({ length: count }, (_, i) => ({ after: cuts[i - 1], until: cuts[i] }));
};

/**
 * The main thread's plans: the chunks it claims from `first` on, as one run in plan-id order,
 * claimed as the view walks them (so the workers take the rest meanwhile). The first is claimed at
 * once, before any worker is asked: a page lists from it, and a worker quick to start could
 * otherwise take every chunk, leaving this thread to read them all again to list them. A view may
 * walk its plans again: the chunks claimed are walked again, and no more claimed.
 */
const frontRun = (
  reader: SplittableReader,
  point: HistoryPoint,
  chunks: PlanRange[],
  first: number,
  claims: SharedArrayBuffer,
  most: number,
) => {
  const claim = claimFromFront(claims, chunks.length, first);
  let reserved = most > 0 ? claim() : undefined;
  const claimed: PlanRange[] = [];
  let done = false;
  const state = { mustFold: false, claimed };
  const plans: Iterable<PlanLines> = {
    *[Symbol.iterator]() {
      for (const range of claimed) yield* reader.historyLines(point, range) ?? [];
      while (!done && claimed.length < most) {
        const chunk = reserved ?? claim();
        reserved = undefined;
        if (chunk === undefined) break;
        const range = chunks[chunk]!;
        const lines = reader.historyLines(point, range);
        if (!lines) {
          state.mustFold = true;
          break;
        }
        claimed.push(range);
        yield* lines;
      }
      done = true;
    },
  };
  return { plans, state };
};

/**
 * A view over every plan at a pair of clocks (split-views.ts), read on several threads where the
 * history alone answers it. The plans are cut into chunks in plan-id order; this thread claims
 * them from the first a page lists and the pool's workers from the last back (claims.ts), each on
 * its own connection, until all are claimed, so the threads finish about together; the chunks
 * before a page's cursor are only counted, by whichever thread is free. This thread's chunks are
 * one run, read with the page asked for; a worker reads each of its
 * chunks on its own, only counting findings when the view lists a page of them (split-views.ts,
 * `paged`). The parts are merged in plan-id order; when this thread's page is not full, the
 * plans after its run are read again here with the page, to list them.
 *
 * Where the history does not answer alone (both clocks, an asOf past the read models, a plan
 * whose business lines wait to be worked out again), or the pool cannot help, the view is read on
 * this thread, as it was before there was a pool. The answer is the same either way
 * (test/projections/split-views.property.unit.test.ts, test/projections/split-read.int.test.ts).
 */
export const readEveryPlan = async <V extends SplitViewName>(
  reader: SplittableReader,
  pool: ViewPool | undefined,
  split: SplitOptions,
  viewName: V,
  clocks: Clocks,
  args: ArgsOf<V>,
  directory: OrganisationDirectory,
): Promise<AnswerOf<V>> => {
  const view = splitViews[viewName] as unknown as SplitView<ArgsOf<V>, AnswerOf<V>>;
  const oneThread = async () => view.run(await reader.planLines(clocks), args, directory);
  if (!pool) return oneThread();
  const point = await reader.historyPoint(clocks);
  if (!point) return oneThread();
  const ids = reader.planIds();
  // Two plans at least: one plan makes one chunk, with nothing for a worker to read.
  if (ids.length < Math.max(2, split.fromPlans)) return oneThread();
  const workers = await pool.ready();
  if (workers === 0) return oneThread();

  const chunks = chunksOf(ids, split.chunkPlans);
  // The chunks before a page's cursor hold no plan the page lists: only counted, by whichever thread is free.
  const firstListed = firstChunkAfter(chunks, view.paged?.cursor(args));
  const claims = newClaims();
  const table = directory.inForce();
  const workerArgs = view.paged?.countOnly(args) ?? args;
  const most = split.mainChunks ?? chunks.length;
  const front = frontRun(reader, point, chunks, firstListed, claims, most);
  const others = Array.from({ length: workers }, (_, i) =>
    pool.part(i, viewName, { args: workerArgs, beforeArgs: args }, point, { ranges: chunks, first: firstListed, claims }, table),
  );
  // This thread's part in one read transaction, as each worker reads its own: the states they saw are compared below.
  const own = reader.readTogether(() => {
    const first = view.run(front.plans, args, table);
    // Then the chunks before the cursor that are left, each counted with the page (it lists none of them).
    const before: [number, AnswerOf<V>][] = [];
    const claimNext = () =>
      !front.state.mustFold && front.state.claimed.length + before.length < most ? claimBefore(claims, firstListed) : undefined;
    for (let chunk = claimNext(); chunk !== undefined; chunk = claimNext()) {
      const lines = reader.historyLines(point, chunks[chunk]!);
      if (lines) before.push([chunk, view.run(lines, args, table)]);
      else front.state.mustFold = true;
    }
    return { first, before };
  });
  const { first, before } = own.value;
  // Only a part that read a chunk says which state the answer is of: one that found none left read nothing of the history.
  const states = new Set(front.state.claimed.length + before.length > 0 ? [own.state] : []);
  const answers = await Promise.all(others);
  // A part the history did not answer alone (or a worker that failed, or a reset under the read): the
  // whole view is read again on this thread, which folds what must be folded and refuses a read a
  // reset overtook, as it always has. Rare: a plan's business lines wait only a moment.
  if (front.state.mustFold) return oneThread();
  const restAfter = front.state.claimed.at(-1)?.until ?? chunks[firstListed]?.after;
  const merged = mergeAnswers<AnswerOf<V>>(answers, before, firstListed, (beforeParts, later) =>
    mergeParts(view, args, workerArgs, beforeParts, first, later, restAfter, (after) => {
      // After the wait for the workers: a reset meanwhile (a rebuild starting) refuses this walk, not the read,
      // which this thread then reads alone, as it does when a worker meets the reset.
      try {
        const rest = reader.readTogether(() => {
          const lines = reader.historyLines(point, { after });
          return lines && view.run(lines, args, table);
        });
        states.add(rest.state);
        return rest.value;
      } catch (error) {
        if (error instanceof HistoryChanged) return undefined;
        throw error;
      }
    }),
  );
  // The parts were read in transactions of their own, at different moments (the runner free to write while this
  // thread waits, or another process). At a ledger position the history stays as it is, but a write changes the
  // business lines at a day: parts that saw different states of the history are of no one state of the ledger, so
  // the view is read again on this thread, in one walk. A write after every part began its read changes none.
  for (const answer of answers) if ('state' in answer && answer.parts.length > 0) states.add(answer.state);
  if (merged === undefined || (point.clock === 'business' && states.size > 1)) return oneThread();
  return merged;
};

/**
 * Every thread's chunks in chunk order, those before `firstListed` apart from the rest, given to
 * `merge`; undefined when a worker could not read its part.
 */
const mergeAnswers = <R>(
  answers: PartAnswer[],
  own: [number, R][],
  firstListed: number,
  merge: (before: R[], later: R[]) => R | undefined,
): R | undefined => {
  const parts = [...own];
  for (const answer of answers) {
    if (!('parts' in answer)) return undefined;
    parts.push(...(answer.parts as [number, R][]));
  }
  parts.sort(([a], [b]) => a - b);
  const of = (chunks: [number, R][]) => chunks.map(([, part]) => part);
  return merge(of(parts.filter(([chunk]) => chunk < firstListed)), of(parts.filter(([chunk]) => chunk >= firstListed)));
};

/** The first chunk holding a plan after a page's cursor (the first chunk without one). */
const firstChunkAfter = (chunks: PlanRange[], cursor: string | undefined): number => {
  if (cursor === undefined) return 0;
  const found = chunks.findIndex((chunk) => chunk.until === undefined || comparePlanIds(chunk.until, cursor) > 0);
  return found === -1 ? chunks.length - 1 : found;
};
