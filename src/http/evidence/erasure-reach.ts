import { HttpProblem } from '../../api/http/problem.ts';
import type { EvidenceFileIndex } from '../../../projections/evidence-files/projection.ts';
import { currentOwner } from '../../../projections/plan-status/document.ts';
import type { PlanReader } from '../../../projections/plan-reader.ts';

export interface ErasureReachDeps {
  evidenceFiles: EvidenceFileIndex;
  reader: Pick<PlanReader, 'planDoc'>;
  canonical: (name: string) => string;
}

/** A plan other than the erasing one that holds the same content, and the organisation that owns it. */
export interface ForeignHolder {
  planId: string;
  owner: string;
}

/**
 * The plans of other owners whose copy of this content an erasure through this plan would take.
 * Content is stored once, so an erasure removes it from every plan holding it; without this, a
 * plan manager who could read a file of another organisation's plan (every reader can) attached
 * the same bytes to a plan of their own and erased it there, destroying the other plan's evidence
 * for good. The plan that attached the content first may still erase it everywhere: else anyone
 * could stop its owner erasing a patient's letter by attaching a copy of it to a plan of their own.
 */
export const foreignHoldersOf = async (
  deps: ErasureReachDeps,
  sha256: string,
  planId: string,
  organisation: string,
): Promise<ForeignHolder[]> => {
  // Content already erased is gone from every plan: an erasure now takes nothing from another's, and a retry of the
  // erasure that took it must replay (requests.md), even if a plan holding it has changed owner since.
  if (deps.evidenceFiles.erasureOf(sha256)) return [];
  const holders = deps.evidenceFiles.plansHolding(sha256);
  // A plan that does not hold the file is refused by the decider (404), not here.
  if (!holders.includes(planId) || holders[0] === planId) return [];
  const foreign: ForeignHolder[] = [];
  for (const other of holders) {
    if (other === planId) continue;
    const doc = await deps.reader.planDoc(other);
    const owner = doc ? deps.canonical(currentOwner(doc)) : undefined;
    if (owner !== organisation) foreign.push({ planId: other, owner: owner ?? 'an unknown owner' });
  }
  return foreign;
};

/** The refusal of an erasure that would reach into plans of other owners. */
export const erasureReachesOtherOwners = (holders: ForeignHolder[]) =>
  new HttpProblem({
    status: 403,
    code: 'evidence-held-by-another-owner',
    title: 'Forbidden',
    detail:
      `The same content is evidence in ${holders.map((h) => `plan ${h.planId} (owned by ${h.owner})`).join(', ')}, and erasing it ` +
      'removes it there too: only the owner of the plan that attached it first, or of every plan holding it, may erase it. ' +
      'Ask them to erase it',
  });
