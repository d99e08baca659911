import { CheckpointRefused, UnknownPlan } from '../integrity/errors.ts';

/**
 * What a command that writes a signed file for one plan (an export, an evidence pack) says when
 * the plan does not exist or the ledger will not sign: one line and exit 1. Anything else is
 * not a refusal and is thrown on.
 */
export const reportSignedOutputRefusal = (error: unknown, what: string): void => {
  if (!(error instanceof UnknownPlan || error instanceof CheckpointRefused)) throw error;
  console.error(error instanceof CheckpointRefused ? `the ledger will not sign the ${what}: ${error.message}` : error.message);
  process.exitCode = 1;
};
