import type { VerifyReport } from '../integrity/verify-report.ts';

/** A verify that failed before checking anything: a checkpoint it could not read, a ledger file it could not open. */
export const nothingChecked = (failure: NonNullable<VerifyReport['failure']>): VerifyReport => ({
  ok: false,
  eventsChecked: 0,
  streamsChecked: 0,
  checkpointsChecked: 0,
  treeSize: 0,
  failure,
});

/** After a rotation: every key the ledger signed with, and how it came in; an operator's replacement of a lost key is marked. */
const printKeyHistory = (report: VerifyReport) => {
  for (const entry of report.keyHistory ?? []) {
    if (entry.how === 'first') console.log(`signing key:         ${entry.keyId} (the first)`);
    else if (entry.how === 'endorsed')
      console.log(
        `signing key:         ${entry.keyId} from position ${entry.since}, endorsed by the key before it (${entry.rotatedAt}: ` +
          `${entry.reason})`,
      );
    else
      console.log(
        `signing key:         ${entry.keyId} from position ${entry.since}: NOTE an operator's replacement, NOT endorsed by the ` +
          `key before it, which was recorded as lost (${entry.rotatedAt}: ${entry.reason})`,
      );
  }
};

/** A clock that stepped back is a fact about the ledger's times, not damage: said apart from the verdict. */
const printClockAnomalies = (report: VerifyReport) => {
  const anomalies = report.clockAnomalies;
  if (!anomalies) return;
  const why = anomalies.stampsKept
    ? 'commands were committed out of the order their instances stamped them in (a clock behind another, or a command that ' +
      'waited), and an asOf reads each such event at the ledger time, the latest recordedAt before it'
    : "the server's clock stepped back while this ledger was written, before ledger time prevented it, so an asOf between those " +
      'instants sees a mix';
  console.log(
    `NOTE: clock anomaly: recordedAt goes backwards ${anomalies.stepsBack} time(s) in ledger order. The events are intact (not ` +
      `tampered): ${why}`,
  );
  for (const step of anomalies.listed)
    console.log(`  position ${step.position}: recorded ${step.recordedAt}, after an event recorded ${step.previous}`);
};

export const printReport = (report: VerifyReport, okLine = 'OK: every hash chain, the Merkle tree and every signed checkpoint hold') => {
  const lines = [
    `events checked:      ${report.eventsChecked}`,
    `streams checked:     ${report.streamsChecked}`,
    `checkpoints checked: ${report.checkpointsChecked}`,
    `tree size:           ${report.treeSize}`,
    ...(report.rootHash && report.ok ? [`root hash:           ${report.rootHash}`] : []),
    ...(report.backendChecks?.length ? [`also checked:        ${report.backendChecks.join('; ')}`] : []),
  ];
  console.log(lines.join('\n'));
  printKeyHistory(report);
  printClockAnomalies(report);
  if (report.ok) {
    console.log(okLine);
    return;
  }
  const f = report.failure!;
  console.log(`FAILED (${f.kind}): ${f.message}`);
  for (const [label, value] of [
    ['stream', f.stream],
    ['revision', f.revision],
    ['position', f.position],
    ['checkpoint', f.checkpointTreeSize],
    ['expected', f.expected],
    ['found', f.found],
  ] as const) {
    if (value !== undefined) console.log(`  ${label.padEnd(10)} ${value}`);
  }
};
