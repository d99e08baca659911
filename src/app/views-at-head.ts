import { readRetried } from '../../projections/runner/retry-with-backoff.ts';
import { CATCH_UP_RETRY, type ProjectionRunner } from '../../projections/runner/runner.ts';
import type { EventStore } from '../store/port.ts';

/** How often a start looks whether its views have reached the ledger's head (or it is stopping). */
const VIEWS_AT_HEAD_CHECK_MS = 1_000;

/**
 * Once a start's fold has returned: waits until the views have reached the head the ledger has
 * now, or the start is stopped. A fold that failed (the read store busy past its timeout, a full
 * disk) is logged and tried again by the runner: the instance serves only once its views have
 * reached the head it found. One standing aside for another release folds nothing, and serves as
 * before, /ready saying why it is not ready. Watched, not asked for: the runner's own retries back
 * off, where asking would fold again every look. The head is read as the fold reads, a failure
 * (SQLITE_BUSY, a KurrentDB blip) tried again with the fold's waits: one failed read stopped the start.
 */
export const untilViewsAtHead = async (parts: {
  store: Pick<EventStore, 'headPosition'>;
  runner: Pick<ProjectionRunner, 'position' | 'retired'>;
  stopped: AbortSignal;
  headReadFailed: (error: unknown) => void;
}): Promise<void> => {
  const { store, runner, stopped } = parts;
  const head = await readRetried(() => store.headPosition(), CATCH_UP_RETRY, { failed: parts.headReadFailed, stopped });
  const stillFolding = () => head !== undefined && !stopped.aborted && runner.retired() === undefined && runner.position() < head;
  while (stillFolding()) await new Promise((resolve) => setTimeout(resolve, VIEWS_AT_HEAD_CHECK_MS));
};
