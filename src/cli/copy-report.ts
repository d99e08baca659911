import type { NamedLedger } from '../backend/ledger-name.ts';
import type { CopyReport } from '../copy/copy-ledger.ts';
import { CopyRefused } from '../copy/copy-refused.ts';
import { OUT_OF_SPACE_EXIT, ranOutOfSpace } from '../files/ran-out-of-space.ts';
import { StoreUnavailable } from '../store/port.ts';

const rate = (events: number, seconds: number) => Math.round(events / Math.max(seconds, 0.001));
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What `ledger copy` did, on stdout: each phase with its figures, then the verification, then what the operator must do next. */
export const printCopyReport = (report: CopyReport, from: NamedLedger, to: NamedLedger): void => {
  const { seconds } = report;
  const lines = [
    `ledger copy: from ${from.label} to ${to.label}`,
    `verified the source: ${report.size} events (${seconds.verifySource.toFixed(1)} s)`,
    report.resumedAt > 0
      ? `resumed at position ${report.resumedAt}: the target held the source's first ${report.resumedAt} events`
      : 'the target was empty',
    `copied ${count(report.copiedEvents, 'event')} in ${count(report.copiedCommands, 'command')}, ` +
      `carried ${count(report.checkpointsCarried, 'signed checkpoint')} ` +
      `(${seconds.copy.toFixed(1)} s, ${rate(report.copiedEvents, seconds.copy)} events/s)`,
  ];
  if (report.stoppedAt === 0) {
    lines.push(
      `STOPPED before the first event of ${report.size}: nothing was copied, and the target was left as it was before the copy.`,
      'Run the same command again to copy it.',
    );
    console.log(lines.join('\n'));
    return;
  }
  if (report.stoppedAt !== undefined) {
    lines.push(
      `STOPPED at position ${report.stoppedAt} of ${report.size}: the target holds the source's first ${report.stoppedAt} events.`,
      'Run the same command again to carry the rest; it resumes there.',
    );
    console.log(lines.join('\n'));
    return;
  }
  const v = report.verification!;
  lines.push(
    `verified the target against the source (${seconds.verifyTarget.toFixed(1)} s):`,
    `  events:       ${v.events} in both, the same ids, places, times and hashes; ` +
      "the target's chains and tree recomputed from its own events",
    `  root hash:    ${v.rootHash}, the same in both`,
    `  streams:      ${v.streams}, every chain head the same`,
    `  checkpoints:  ${v.checkpoints}, the same in both, each root reproduced on the target, each with a consistency proof to its head`,
    `  commands:     ${v.commands}, the same result in both, request fingerprints included`,
    ...report.parts.map((part) => `  ${part.name}: ${part.copied}, ${part.verified}`),
    'OK: the target is a verified copy of the source',
  );
  if (v.keyIds.length > 0)
    lines.push(
      `Its checkpoints are signed by key ${v.keyIds.join(', ')}: run the target's service with that signing key ` +
        '(LEDGER_SIGNING_KEY_FILE, or ledger-signing-key.pem in its data dir), or it will refuse to sign checkpoints.',
    );
  lines.push('Not copied (docs/copy.md): API keys and the access log; the read models are rebuilt from the copy.');
  console.log(lines.join('\n'));
};

const NEXT_STEP: Record<CopyRefused['kind'], string> = {
  'target-not-a-copy': 'Copy into an empty ledger (a new data directory, or an unused ledgerNamespace on KurrentDB).',
  'source-fails-verification': 'Run `ledger verify` on the source and restore it from a backup before copying it.',
  'source-event-altered': 'The source changed after it was verified: run `ledger verify` on it.',
  'source-command-inconsistent': 'The source does not hold a result for every command as it should: run `ledger verify` on it.',
  'source-time-decreases':
    'The source holds an event stamped before the one ahead of it. A KurrentDB ledger whose commands committed out of the ' +
    'order they were stamped in can be copied only into KurrentDB (the embedded store would record it at the later time, with ' +
    'another hash). A SQLite ledger from before ledger time held recordedAt in order cannot be carried over with the same ' +
    'hashes and answers: KurrentDB would answer an asOf in that stretch otherwise.',
  'source-checkpoint-mismatch': 'The source changed after it was verified: run `ledger verify` on it.',
  'target-diverged': 'Stop whatever else writes to the target, then start again with an empty target.',
  'verification-failed': 'Do not use the target; run `ledger verify` on both.',
};

/** Where a copy that stopped left its target: the source's first events it holds, or nothing (left as it was found). */
const leftIn = (to: NamedLedger, held: number) =>
  held > 0 ? `${to.label}, which now holds ${held} events` : `${to.label}, left as it was before the copy: nothing of it was kept there`;

/** Why the copy stopped, on stderr, with where the target was left and what to do. */
export const printRefusal = (error: CopyRefused, from: NamedLedger, to: NamedLedger, targetEvents: number): void => {
  console.error(
    [
      `ledger copy: REFUSED (${error.kind}): ${error.message}`,
      `  from ${from.label}`,
      `  to   ${leftIn(to, targetEvents)}`,
      NEXT_STEP[error.kind],
    ].join('\n'),
  );
};

/**
 * A copy that stopped on an error once its target was to be opened: says why on stderr and returns the exit code
 * (docs/copy.md#refusals); an error it has no words for is thrown on. `held` is the events the target holds now.
 */
export const printCopyFailure = (error: unknown, from: NamedLedger, to: NamedLedger, held: number): number => {
  if (error instanceof CopyRefused) {
    printRefusal(error, from, to, held);
    return 1;
  }
  const full = ranOutOfSpace(error, {
    where: to.label,
    doing: 'copying',
    left:
      held > 0
        ? `the target holds the source's first ${held} events: free some space there and run the same command again, and it resumes there`
        : 'the target was left as it was before the copy: free some space there and run it again',
  });
  if (full !== undefined) {
    console.error(`ledger copy: ${full}`);
    return OUT_OF_SPACE_EXIT;
  }
  if (error instanceof StoreUnavailable) {
    // Nothing half-written: every append is atomic and idempotent by its command id.
    console.error(
      `ledger copy: ${error.message}\n` + 'Nothing was lost: run the same command again when it answers, and it resumes where it stopped.',
    );
    return 1;
  }
  throw error;
};
