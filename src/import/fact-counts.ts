import type { PlanDocument } from './plan-document.ts';

/** What an import will record: counts by kind of fact, as its summary reports them. */
export interface FactCounts {
  plans: number;
  sections: number;
  recommendations: number;
  actions: number;
  updates: number;
  revisions: number;
  completions: number;
  subsumptions: number;
  withdrawals: number;
  links: number;
  leadChanges: number;
}
export const noFacts = (): FactCounts => ({
  plans: 0,
  sections: 0,
  recommendations: 0,
  actions: 0,
  updates: 0,
  revisions: 0,
  completions: 0,
  subsumptions: 0,
  withdrawals: 0,
  links: 0,
  leadChanges: 0,
});

/** Everything the document says, counted the same way, whether or not the ledger already holds it. */
export const countDocument = (d: PlanDocument): FactCounts => ({
  plans: 1,
  sections: d.sections.length,
  recommendations: d.recommendations.length,
  actions: d.actions.length,
  updates: d.updates.length,
  revisions: d.actions.reduce((n, a) => n + a.revisions.length, 0),
  completions: d.actions.filter((a) => a.closure?.kind === 'completed').length,
  subsumptions: d.actions.filter((a) => a.closure?.kind === 'subsumed').length,
  withdrawals: d.actions.filter((a) => a.closure?.kind === 'withdrawn').length,
  links: d.actions.reduce((n, a) => n + a.relatedActionRefs.length, 0),
  leadChanges: 0,
});
