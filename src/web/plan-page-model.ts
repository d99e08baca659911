import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { actionLine } from '../../projections/plan-status/plan-lines.ts';
import { planDetail } from '../../projections/plan-status/plan-view.ts';
import { deadlineLateness } from './deadline-lateness.ts';

/**
 * What the plan page shows: the API's plan detail (the same query), with each action's
 * revisions and their reasons from the same document, each weighed as the deadline report
 * weighs it, and whether its closure was recorded after its deadline had passed, grouped by section.
 */
export const planPageModel = (doc: PlanDoc, today: string) => {
  // Each action's line once, for the plan's figures and for the tags beside its revisions and closure.
  const lines = doc.actions.map((a) => actionLine(a, doc));
  const plan = planDetail(doc, today, lines);
  const weighed = new Map(
    doc.actions.map((a, i) => {
      const lateness = deadlineLateness(lines[i]!);
      const revisionHistory = a.revisions.map((r, i) => ({ ...r, ...lateness.revisions[i]! }));
      return [a.ref, { revisionHistory, closedAfterDeadline: lateness.closedAfterDeadline, lateClosure: lateness.lateClosure }];
    }),
  );
  const actions = new Map(plan.actions.map((a) => [a.ref, { ...a, ...weighed.get(a.ref)! }]));
  const unsectioned = plan.actions.filter((a) => a.sectionRef === null || !plan.sections.some((s) => s.sectionRef === a.sectionRef));
  return {
    plan,
    sections: [
      ...plan.sections.map((s) => ({ ...s, actions: s.actionRefs.map((ref) => actions.get(ref)!) })),
      ...(unsectioned.length
        ? [{ sectionRef: null, title: 'Actions in no section', actions: unsectioned.map((a) => actions.get(a.ref)!) }]
        : []),
    ],
  };
};
export type PlanPageModel = ReturnType<typeof planPageModel>;

/**
 * Something worked out from a plan's live document, kept per plan until the plan's revision
 * or London's day changes, as the reader keeps the API's live view: a busy plan is read far
 * more often than written. A cache of this instance only; as-of views are built afresh.
 */
export const createLiveCache = <T>(maxPlans = 100) => {
  const models = new Map<string, { revision: number; today: string; model: T }>();
  return (planId: string, revision: number, today: string, build: () => Promise<T | undefined>): Promise<T | undefined> => {
    const hit = models.get(planId);
    if (hit && hit.revision === revision && hit.today === today) return Promise.resolve(hit.model);
    return build().then((model) => {
      if (model) {
        models.delete(planId);
        models.set(planId, { revision, today, model });
        if (models.size > maxPlans) models.delete(models.keys().next().value!);
      }
      return model;
    });
  };
};
