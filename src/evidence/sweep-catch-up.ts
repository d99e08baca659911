import type { ProjectionRunner } from '../../projections/runner/runner.ts';
import type { EventStore } from '../store/port.ts';

/** How long a sweep waits for the views to reach the ledger's head before it skips its turn. */
const WAIT_MS = 30_000;

/**
 * The evidence sweep's `catchUp`: true once the views hold every event appended before the
 * call. False while this instance's views are another release's (`retired`): they are read in
 * this release's format, so which files the ledger references cannot be told from them, and a
 * sweep that removes files must not guess.
 */
export const sweepCatchUp =
  (store: Pick<EventStore, 'headPosition'>, runner: Pick<ProjectionRunner, 'retired' | 'waitFor'>) => async (): Promise<boolean> => {
    if (runner.retired() !== undefined) return false;
    const head = await store.headPosition();
    return head === undefined || runner.waitFor(head, WAIT_MS);
  };
