import type { EventData } from '../../../../events/catalogue.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireAction, requireRecommendation } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/**
 * Attach a stored file to an action or a recommendation. The file is already in the blob store
 * under its sha256 when this is decided: the command records what the store holds.
 */
export interface AttachEvidenceFile {
  type: 'AttachEvidenceFile';
  data: EventData<'EvidenceFileAttached'>;
}

export const attachEvidenceFile = (
  { data }: AttachEvidenceFile,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'EvidenceFileAttached'>[] => {
  // Like a link, a file is welcome on a closed action: good practice is "closed with evidence".
  if (data.target.kind === 'action') requireAction(plan, data.target.ref);
  else requireRecommendation(plan, data.target.ref);
  if (plan.evidenceFiles.get(data.file.sha256)?.erased)
    throw conflict(
      'evidence-erased',
      `A file with sha256 ${data.file.sha256} was erased from plan ${plan.planId}: it cannot be attached again`,
    );
  return [{ type: 'EvidenceFileAttached', data, effectiveOn }];
};
