import type { Logger } from 'pino';
import type { Progress } from '../../projections/runner/progress.ts';

/** How often a start that folds a backlog says how far it has got. */
export const START_PROGRESS_EVERY_MS = 10_000;

const count = (n: number) => n.toLocaleString('en-GB');

/** How far the fold has got, in words: the events folded, or the plans settled in a rebuild's last phase. */
const farWords = (progress: Progress | undefined): string => {
  if (progress?.settling) return `: events folded, ${count(progress.settling.plans)} of ${count(progress.settling.of)} plans settled`;
  if (progress && progress.total > 0) return `: ${count(progress.done)} of ${count(progress.total)} events`;
  return '';
};

/**
 * A start's fold of the views, as /ready and the refused requests describe it, and logged every
 * START_PROGRESS_EVERY_MS while it lasts (a start whose views are rebuilt folds the whole ledger,
 * and the fold reports only as each chunk is committed, minutes apart on a long plan).
 */
export const startProgress = (logger: Logger, everyMs = START_PROGRESS_EVERY_MS) => {
  let serving = false;
  let progress: Progress | undefined;
  let lastFailure: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stopLogging = () => clearInterval(timer);
  return {
    /** Why this instance is not serving yet, or undefined once it is. */
    why: (): string | undefined =>
      serving
        ? undefined
        : `This instance is folding the ledger into its views before it serves${farWords(progress)}` +
          // Its cause is in the log, not here: /ready is public.
          (lastFailure ? `; a fold failed at ${lastFailure} and is tried again (see the log)` : '') +
          '; retry shortly, or on another instance',
    /** What the runner reports as it folds. */
    heard: (p: Progress) => {
      progress = p;
    },
    /** From the start of the fold: a line every `everyMs`, whether or not the fold has reported since. */
    folding: () => {
      const began = Date.now();
      timer = setInterval(
        () =>
          logger.info(
            {
              seconds: Math.round((Date.now() - began) / 1000),
              done: progress?.done,
              total: progress?.total,
              settling: progress?.settling,
            },
            `starting: folding the ledger into the views before serving${farWords(progress)}`,
          ),
        everyMs,
      );
      timer.unref();
    },
    /** A fold failed (the runner logs why, and tries again by itself, waiting longer each time). */
    failed: () => {
      if (!serving) lastFailure = new Date().toISOString();
    },
    /** Serves every route from now on. */
    done: () => {
      serving = true;
      stopLogging();
    },
    /** Stopped before it served. */
    stopped: stopLogging,
  };
};
