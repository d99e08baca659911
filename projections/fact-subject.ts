import type { LedgerFact } from './ledger-fact.ts';

/** What an event is about: the plan, a section, a recommendation or an action. */
export interface Subject {
  kind: 'plan' | 'section' | 'recommendation' | 'action';
  ref: string | null;
}

/**
 * The subject of an event, as the timeline names it and the business clock orders it
 * (clocks/subjects-first.ts). A correction is about the plan here: what it corrects is found
 * from the entry it names.
 */
export const subjectOf = (fact: LedgerFact): Subject => {
  switch (fact.type) {
    case 'PlanRegistered':
    case 'PlanOwnerChanged':
    case 'EntryCorrected':
    case 'EvidenceErased': // of content, which may be attached to several actions and recommendations of the plan
    case 'PlanRetracted':
    case 'PlanReinstated':
      return { kind: 'plan', ref: null };
    case 'SectionAdded':
      return { kind: 'section', ref: fact.data.sectionRef };
    case 'RecommendationRecorded':
    case 'RecommendationResponseRecorded':
    case 'RecommendationAssured':
      return { kind: 'recommendation', ref: fact.data.ref };
    case 'ProgressUpdateRecorded':
    case 'EvidenceLinked':
    case 'EvidenceFileAttached':
      return fact.data.target;
    default:
      return { kind: 'action', ref: fact.data.ref };
  }
};
