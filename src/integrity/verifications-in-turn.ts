import type { LedgerIntegrity } from './ledger-integrity.ts';
import type { VerifyReport } from './verify-report.ts';

type Verify = LedgerIntegrity['verify'];

/**
 * The verifications one service instance runs for the people who ask (GET /ledger/verify, the integrity page's "Verify
 * now"): one at a time, and those who ask while one runs share the next, begun once it ends. Each answer still comes from
 * a verification begun after it was asked, never from one already under way, which may have read the ledger before the
 * asker's last write. Each verification reads the whole ledger on every core it is given (44.8 s at a million events):
 * several auditors asking together ran that many side by side, each slower for the others.
 *
 * Only this instance's: another instance on the same ledger runs its own, as it would without this. A caller watching
 * progress or bringing checkpoints of its own has a run of its own, in turn with the rest.
 */
/** How long each run took, by its report (shared by everyone who shared the run): not the wait for a run before it. */
const runTimes = new WeakMap<VerifyReport, number>();
export const secondsOfRun = (report: VerifyReport): number | undefined => runTimes.get(report);

export const verificationsInTurn = (verify: Verify): Verify => {
  let previous: Promise<unknown> = Promise.resolve();
  // The run not yet begun for each depth of storage check, which those asking now share.
  const next = new Map<'full' | 'quick', Promise<VerifyReport>>();
  return (onProgress, options = {}) => {
    const shared = onProgress === undefined && options.supplied === undefined && options.workers === undefined;
    const depth = options.storageCheck ?? 'full';
    const waiting = shared ? next.get(depth) : undefined;
    if (waiting) return waiting;
    const run: Promise<VerifyReport> = previous.then(async () => {
      // Begun: whoever asks from now on waits for a run after this one.
      if (next.get(depth) === run) next.delete(depth);
      const begun = performance.now();
      const report = await verify(onProgress, options);
      runTimes.set(report, (performance.now() - begun) / 1000);
      return report;
    });
    if (shared) next.set(depth, run);
    previous = run.catch(() => undefined);
    return run;
  };
};
