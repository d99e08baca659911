import type { AliasFile } from '../../src/organisations/organisation-directory.ts';
import type { SplitViewName } from './split-views.ts';

/** What a view worker is started with: the module it runs (src/typescript-worker-entry.mjs loads it) and the read store. */
export interface ViewWorkerSetup {
  module: string;
  readStoreFile: string;
}

/** Where a read of every plan stands in the history: a point on one clock, in one generation of it. */
export interface HistoryPoint {
  clock: 'ledger' | 'business';
  /** A ledger position (the ledger clock) or a business day number (history/business-days.ts). */
  at: number;
  generation: number;
}

/** A range of plans in plan-id order: those after `after` (from the first when undefined), up to `until` (to the last). */
export interface PlanRange {
  after: string | undefined;
  until: string | undefined;
}

/**
 * One view over the chunks of a read a worker claims (split-read.ts, claims.ts): from the last chunk
 * back, while the main thread claims them from the first a page may list, then any before that.
 */
export interface ViewRequest {
  type: 'view';
  id: number;
  view: SplitViewName;
  args: unknown;
  point: HistoryPoint;
  chunks: PlanRange[];
  /** The first chunk a page may list from; those before it are read with `beforeArgs` (claims.ts). */
  first: number;
  beforeArgs: unknown;
  /** The claims shared by every thread of the read (claims.ts). */
  claims: SharedArrayBuffer;
  /** The table of names in force (organisation-directory.ts), by an id the worker keeps it under once made. */
  names: { id: number; entries: AliasFile['organisations'] | undefined };
}

/**
 * A worker's answer: the view over each chunk it claimed, read in one read transaction, with the state of the history
 * it saw there; or `fold` when some plan of the range must be folded
 * from the ledger (its business lines wait to be worked out again), which only the thread with the
 * ledger does; or `failed` with why, and whether it was a reset of the history under the read.
 */
export type ViewReply =
  | { id: number; parts: [chunk: number, answer: unknown][]; state: string }
  | { id: number; fold: true }
  | { id: number; failed: string; reset: boolean }
  | { id: number; lacksNames: true }
  /** Sent once, when the worker has opened the read store. */
  | { ready: true };
