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

/** Exit 4: the backup target has too little space; nothing that looks complete is left. */
export class BackupTargetFull extends BackupProblem {
  constructor(message: string) {
    super(message, 4);
  }
}

/** Whether an error is the disk running out of room (Node's ENOSPC, SQLite's SQLITE_FULL, or an I/O error on a full disk). */
export const isNoSpace = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT';
};
