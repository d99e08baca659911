import { planIdOfStream } from '../../events/streams.ts';
import type { EventStore } from '../store/port.ts';

/** How every import's command id begins: a file's claim below, and a re-import's id (reimportId). */
const IMPORT_COMMAND_IDS = 'import-';

/** A re-import's command id: the file and the plan revision it was planned against. */
export const reimportId = (sha256: string, planId: string, revision: bigint | undefined): string =>
  `${IMPORT_COMMAND_IDS}${sha256.slice(0, 32)}-${planId}-${revision ?? 'new'}`;

/**
 * Whether an id has the form of an import's command id (claimId, reimportId). Those ids are the
 * imports' own: a caller's Idempotency-Key of that form is refused (command-route.ts), or a write of
 * another kind could take a file's claim and stand for that file's import on every instance. Other
 * keys beginning "import-" are a caller's like any other, as they were before imports took the form.
 */
export const isImportCommandId = (id: string): boolean =>
  /^import-document-[0-9a-f]{64}(-\d+)?$/.test(id) || /^import-[0-9a-f]{32}-[a-z0-9][a-z0-9-]*-(new|\d+)$/.test(id);

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
