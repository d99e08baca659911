import type { NamedLedger } from '../backend/ledger-name.ts';
import type { CopyReport } from '../copy/copy-ledger.ts';
import type { CopyRefused } from '../copy/copy-refused.ts';

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

/** Why the copy stopped, on stderr, with where the target was left and what to do. */
export const printRefusal = (error: CopyRefused, from: NamedLedger, to: NamedLedger, targetEvents: number): void => {
  console.error(
    [
      `ledger copy: REFUSED (${error.kind}): ${error.message}`,
      `  from ${from.label}`,
      `  to   ${to.label}, which now holds ${targetEvents} events`,
      NEXT_STEP[error.kind],
    ].join('\n'),
  );
};
