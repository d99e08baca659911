import { isDeepStrictEqual } from 'node:util';
import type { TimelineEntry } from '../timeline/timeline.ts';
import type { PlanDetail } from './plan-view.ts';

const actionFields = [
  'text',
  'status',
  'computedStatus',
  'leadOrganisations',
  'partnerOrganisations',
  'currentDue',
  'revisions',
  'reportedRag',
  'updates',
] as const;

/**
 * GET /plans/:planId/changes: what the ledger said about the plan at `from` against what
 * it said at `to` (each view computed as of its own instant), plus the entries recorded
 * in between. Both views come from the one plan-status evolve.
 */
export const planChanges = (before: PlanDetail | undefined, after: PlanDetail | undefined, entries: TimelineEntry[]) => {
  const beforeActions = new Map((before?.actions ?? []).map((a) => [a.ref, a]));
  const actions = [];
  for (const action of after?.actions ?? []) {
    const earlier = beforeActions.get(action.ref);
    if (!earlier) {
      actions.push({ ref: action.ref, change: 'added' as const, fields: [] });
      continue;
    }
    const fields = actionFields
      .filter((f) => !isDeepStrictEqual(earlier[f], action[f]))
      .map((f) => ({ field: f, before: earlier[f], after: action[f] }));
    if (fields.length > 0) actions.push({ ref: action.ref, change: 'changed' as const, fields });
  }
  const beforeRecs = new Map((before?.recommendations ?? []).map((r) => [r.ref, r]));
  const recommendations = (after?.recommendations ?? [])
    .filter((r) => !isDeepStrictEqual(beforeRecs.get(r.ref)?.assurance, r.assurance))
    .map((r) => ({ ref: r.ref, assuranceBefore: beforeRecs.get(r.ref)?.assurance ?? null, assuranceAfter: r.assurance }));
  return {
    revisionBefore: before?.revision ?? null,
    revisionAfter: after?.revision ?? null,
    actions,
    recommendations,
    entries,
  };
};
