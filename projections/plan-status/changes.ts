import { isDeepStrictEqual } from 'node:util';
import type { TimelineEntry } from '../timeline/timeline.ts';
import type { PlanDetail } from './plan-view.ts';

/**
 * What is compared of each action: what a board would ask about. Days overdue are not: they
 * differ between any two days while the action stays as it was (computedStatus says when it
 * became overdue); days late of a completion do not move with the day, so they are.
 */
const actionFields = [
  'text',
  'status',
  'computedStatus',
  'leadOrganisations',
  'partnerOrganisations',
  'agreedOn',
  'originalDue',
  'currentDue',
  'revisions',
  'closure',
  'daysLateAgainstOriginal',
  'daysLateAgainstCurrent',
  'reportedRag',
  'updates',
  'evidence',
] as const;

/**
 * What is compared of the plan itself: who owns it and answers for it, what it is called and
 * covers, its RAG legend, and its sections (their titles; which actions each holds follows from
 * the actions). Its kind, registration date and id are not: no event changes them.
 */
const planFields = ['title', 'owner', 'governanceBody', 'area', 'description', 'ragLegend', 'sections'] as const;
type PlanField = (typeof planFields)[number];
const planValue = (detail: PlanDetail, field: PlanField): unknown =>
  field === 'sections' ? detail.sections.map(({ sectionRef, title }) => ({ sectionRef, title })) : detail[field];

/**
 * GET /plans/:planId/changes: what the ledger said about the plan at `from` against what
 * it said at `to` (each view computed as of its own instant), plus the entries recorded
 * in between. Both views come from the one plan-status evolve. Either may be missing: a plan
 * not there at `from` brings every action as added; one there at `from` and not at `to` (read at
 * one business date, a correction recorded in between moved its registration past that date)
 * takes every action away as removed, as a correction that moves one action's agreement does.
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
  const afterRefs = new Set((after?.actions ?? []).map((a) => a.ref));
  for (const ref of beforeActions.keys()) if (!afterRefs.has(ref)) actions.push({ ref, change: 'removed' as const, fields: [] });
  const beforeRecs = new Map((before?.recommendations ?? []).map((r) => [r.ref, r]));
  const afterRecs = new Map((after?.recommendations ?? []).map((r) => [r.ref, r]));
  // As a recommendation new at `to` has no assurance before, one gone at `to` has none after.
  const gone = (before?.recommendations ?? []).filter((r) => !afterRecs.has(r.ref));
  const recommendations = [
    ...(after?.recommendations ?? [])
      .filter((r) => !isDeepStrictEqual(beforeRecs.get(r.ref)?.assurance, r.assurance))
      .map((r) => ({ ref: r.ref, assuranceBefore: beforeRecs.get(r.ref)?.assurance ?? null, assuranceAfter: r.assurance })),
    ...gone.map((r) => ({ ref: r.ref, assuranceBefore: r.assurance, assuranceAfter: null })),
  ];
  // Not there at one end, the plan's every field comes or goes with it: its actions say what it brought or took.
  const plan =
    before && after
      ? planFields
          .map((field) => ({ field, before: planValue(before, field), after: planValue(after, field) }))
          .filter((f) => !isDeepStrictEqual(f.before, f.after))
      : [];
  return {
    revisionBefore: before?.revision ?? null,
    revisionAfter: after?.revision ?? null,
    plan,
    actions,
    recommendations,
    entries,
  };
};
