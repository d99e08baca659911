import type { EventData } from '../../../../events/catalogue.ts';
import { conflict, notFound } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { RegisteredPlan } from '../state.ts';

/** Erase an evidence file's content, with the reason: the file goes, its hash stays in the ledger. */
export interface EraseEvidence {
  type: 'EraseEvidence';
  data: EventData<'EvidenceErased'>;
}

export const eraseEvidence = (
  { data }: EraseEvidence,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'EvidenceErased'>[] => {
  const file = plan.evidenceFiles.get(data.sha256);
  if (!file) throw notFound('evidence-file-not-found', `No evidence file with sha256 ${data.sha256} is attached to plan ${plan.planId}`);
  if (file.erased)
    throw conflict('evidence-already-erased', `The evidence file ${data.sha256} was already erased from plan ${plan.planId}`);
  return [{ type: 'EvidenceErased', data, effectiveOn }];
};
