import { isOutOfSpace } from '../store/storage-full.ts';

/**
 * The exit code of `ledger backup`, `ledger restore` and `ledger copy` when the disk holding their target has no room
 * (docs/operations.md#exit-codes, docs/copy.md#refusals).
 */
export const OUT_OF_SPACE_EXIT = 4;

/** The system's name for it (ENOSPC, SQLITE_FULL, EDQUOT): of the error, or of the one a store wrapped in its StorageFull. */
const codeOf = (error: unknown): string | undefined => {
  for (let at = error; at instanceof Error; at = at.cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/**
 * A disk that ran out of space under a command's target, in one sentence for the operator: which disk, while doing what,
 * and what the command left there. The system's raw message (`ENOSPC: no space left on device, copyfile '…' -> '…'`)
 * names neither what was being done nor what is left, so only its code is kept, in brackets. Undefined for any other error.
 */
export const ranOutOfSpace = (
  error: unknown,
  { where, doing, left }: { where: string; doing: string; left: string },
): string | undefined =>
  isOutOfSpace(error)
    ? `the disk holding ${where} ran out of space while ${doing} (${codeOf(error) ?? 'no space left'}); ${left}`
    : undefined;
