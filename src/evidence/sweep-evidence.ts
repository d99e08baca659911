import type { BlobStore, SweepReport } from '../blobs/port.ts';
import type { EvidenceFileIndex } from '../../projections/evidence-files/projection.ts';

export interface EvidenceSweepDeps {
  blobs: BlobStore;
  /** Which files the ledger references and which it erased: the read model, caught up first. */
  index: EvidenceFileIndex;
  /** Resolves true once the read model holds every event appended before the call (false: not in time, skip this sweep). */
  catchUp: () => Promise<boolean>;
  /** Whether the index is still the one caught up (another process may reset it mid-sweep); the sweep stops when not. */
  viewsStand?: () => boolean;
  graceMs: number;
  clock?: () => Date;
}

export type EvidenceSweepReport = SweepReport & { erasedRemoved: string[] };

/** The evidence index was reset during a sweep: it stops, having removed only files judged before; the next sweep looks again. */
export class SweepStopped extends Error {
  constructor() {
    super('the evidence index was rebuilt during the sweep (another process reset it): the sweep stopped, the next one looks again');
  }
}

/**
 * One sweep of the evidence store: files nothing in the ledger references (an upload that
 * crashed between storing its file and recording its event, or one refused after storing it)
 * are removed once older than the grace period; files whose content was erased are removed
 * at once, whatever their age (an erasure whose removal a crash interrupted). The read model
 * is caught up to the ledger's head first, so every event appended before the sweep began is
 * counted; an upload still in flight holds a file younger than the grace period.
 */
export const sweepEvidence = async (deps: EvidenceSweepDeps): Promise<EvidenceSweepReport | undefined> => {
  const now = (deps.clock ?? (() => new Date()))();
  if (!(await deps.catchUp())) return undefined;
  const stand = () => {
    if (deps.viewsStand && !deps.viewsStand()) throw new SweepStopped();
  };
  // The index read between two looks that find it standing: a reset landing between is caught by the second.
  const judged = <T>(read: () => T): T => {
    stand();
    const answer = read();
    stand();
    return answer;
  };
  const report = await deps.blobs.sweep({
    storedBefore: new Date(now.getTime() - deps.graceMs),
    isReferenced: (sha256) => judged(() => deps.index.isLive(sha256)),
  });
  const erasedRemoved: string[] = [];
  for await (const blob of deps.blobs.list())
    if (judged(() => deps.index.erasureOf(blob.sha256)) && (await deps.blobs.remove(blob.sha256))) erasedRemoved.push(blob.sha256);
  return { ...report, erasedRemoved };
};

export interface EvidenceSweepSchedule {
  stop(): Promise<void>;
}

/**
 * Sweeps soon after start (a crashed sweep's files go back, erasures finish) and then every
 * quarter of the grace period, at most every 15 minutes. One sweep at a time; a failure is
 * reported and the next tick tries again. Every instance may sweep a shared store.
 */
export const startEvidenceSweeps = (
  deps: EvidenceSweepDeps,
  report: { swept: (r: EvidenceSweepReport) => void; failed: (error: unknown) => void },
  firstAfterMs = 5_000,
): EvidenceSweepSchedule => {
  const everyMs = Math.min(deps.graceMs / 4, 15 * 60_000);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = () => {
    running = sweepEvidence(deps)
      .then((r) => r && report.swept(r), report.failed)
      .then(() => {
        running = undefined;
        next(everyMs);
      });
  };
  next(firstAfterMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
