import { OUT_OF_SPACE_EXIT, ranOutOfSpace } from '../files/ran-out-of-space.ts';

/**
 * Why a backup or a restore stopped, each with the exit code the command line ends with
 * (documented in docs/operations.md). The message is one or two lines for the operator.
 */
export class BackupProblem extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit 2: the command cannot run as asked (a target that is not empty, a missing passphrase, no ledger here). */
export class BackupUsage extends BackupProblem {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Exit 3: a copy that does not verify, or a backup that does not match its manifest; nothing that looks complete is left. */
export class BackupNotTrustworthy extends BackupProblem {
  constructor(message: string) {
    super(message, 3);
  }
}

/** Exit 4: the backup's or the restore's target has too little space; nothing that looks complete is left. */
export class BackupTargetFull extends BackupProblem {
  constructor(message: string) {
    super(message, OUT_OF_SPACE_EXIT);
  }
}

/** The error as a BackupTargetFull when it is the disk holding the target running out of space (one sentence); else as it is. */
export const asTargetFull = (error: unknown, context: { where: string; doing: string; left: string }): unknown => {
  const full = ranOutOfSpace(error, context);
  return full === undefined ? error : new BackupTargetFull(full);
};
