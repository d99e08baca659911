import { planIdOfStream } from '../../events/streams.ts';
import type { EventStore } from '../store/port.ts';

/**
 * How every import's command id begins (a file's claim below, and a re-import's id in import-plan.ts).
 * The ids are the imports' own: a caller's Idempotency-Key may not begin so (command-route.ts), or a
 * write of another kind could take a file's claim and stand for that file's import on every instance.
 */
export const IMPORT_COMMAND_IDS = 'import-';

/**
 * One document, one live plan. The import that first brings a file into a plan records
 * its batch under a command id made of the file's sha256 ("import-document-<sha256>"):
 * the ledger's durable idempotency then holds, for every instance, which plan that file
 * became, and two instances importing the same file under two plan ids at once cannot
 * both succeed (the second append finds the id taken by another stream). Once that plan
 * is retracted the file may be imported again, under the next id ("…-2", "…-3").
 */
export const claimId = (sha256: string, n: number): string => `${IMPORT_COMMAND_IDS}document-${sha256}${n === 0 ? '' : `-${n + 1}`}`;

export type Claim =
  /** The file has not been imported into a live plan: this id claims it. */
  | { kind: 'free'; commandId: string }
  /** This plan already holds the file: later imports of it into this plan are ordinary re-imports. */
  | { kind: 'own' }
  /** Another plan holds it and has not been retracted. */
  | { kind: 'taken'; planId: string };

export const findClaim = async (
  store: EventStore,
  sha256: string,
  planId: string,
  isRetracted: (planId: string) => Promise<boolean>,
): Promise<Claim> => {
  for (let n = 0; ; n++) {
    const earlier = await store.findCommand(claimId(sha256, n));
    if (!earlier) return { kind: 'free', commandId: claimId(sha256, n) };
    const holder = planIdOfStream(earlier.stream) ?? earlier.stream;
    if (holder === planId) return { kind: 'own' };
    if (!(await isRetracted(holder))) return { kind: 'taken', planId: holder };
  }
};
