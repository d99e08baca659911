import { actionView, deadlineFiguresOn, type ActionView } from './action-view.ts';
import { evidenceView, type PlanDoc, type RecommendationDoc } from './document.ts';
import { actionLine, planHeaderOf, type ActionLine, type PlanHeader, type PlanLines, type PlanStamp } from './plan-lines.ts';

/** Assurance is the latest independent judgement; none yet means the recommendation awaits assurance. */
export const assuranceOf = (rec: RecommendationDoc) => {
  const latest = rec.assurances.at(-1);
  return latest
    ? { state: latest.judgement, assuredBy: latest.assuredBy, assuredOn: latest.effectiveOn, rationale: latest.rationale ?? null }
    : { state: 'awaiting-assurance' as const, assuredBy: null, assuredOn: null, rationale: null };
};

const recommendationView = (doc: PlanDoc, rec: RecommendationDoc) => ({
  ref: rec.ref,
  text: rec.recorded.text,
  source: rec.recorded.source ?? null,
  addressedTo: rec.recorded.addressedTo,
  due: rec.recorded.due ?? null,
  recordedOn: rec.recorded.effectiveOn,
  responses: rec.responses,
  assurance: assuranceOf(rec),
  assurances: rec.assurances,
  actionRefs: doc.actions.filter((a) => a.agreed.recommendationRefs.includes(rec.ref)).map((a) => a.ref),
  updates: rec.updates,
  lastUpdate: rec.lastUpdate,
  evidence: evidenceView(doc, rec.evidence),
});

const countBy = <T extends string>(values: T[]) => {
  const counts: Partial<Record<T, number>> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
};

const planHeader = ({ position, ...header }: PlanHeader, stamp: PlanStamp) => ({
  ...header,
  revision: stamp.revision,
  position: String(position),
  lastRecordedAt: stamp.lastRecordedAt,
});

/** A plan's actions counted by our computed status on a day. */
export const actionsByComputedStatus = (lines: PlanLines, today: string) =>
  countBy(lines.actions.map(deadlineFiguresOn(today)).map((f) => f.computedStatus));

/**
 * Every plan added up, as the home page heads its list: how many plans, actions and actions overdue on a day (the sums of
 * `planSummary`'s figures, without the stamp each summary reads from the ledger).
 */
export const planTotals = (plans: Iterable<PlanLines>, today: string) => {
  const figuresOn = deadlineFiguresOn(today);
  const totals = { plans: 0, actions: 0, overdue: 0 };
  for (const lines of plans) {
    totals.plans++;
    totals.actions += lines.actions.length;
    for (const action of lines.actions) if (figuresOn(action).daysOverdue !== null) totals.overdue++;
  }
  return totals;
};

/** GET /plans: one line per plan with its actions counted by status and by our computed status. */
export const planSummary = (lines: PlanLines, stamp: PlanStamp, today: string) => {
  const figures = lines.actions.map(deadlineFiguresOn(today));
  const { actions, recommendations, ...header } = lines;
  return {
    ...planHeader(header, stamp),
    actions: actions.length,
    actionsByStatus: countBy(actions.map((a) => a.status)),
    actionsByComputedStatus: countBy(figures.map((f) => f.computedStatus)),
    overdue: figures.filter((f) => f.daysOverdue !== null).length,
    recommendations: recommendations.length,
  };
};

/**
 * GET /plans/:planId: sections with their actions, recommendations with assurance, every action's figures. `lines` are
 * the actions' lines in the document's order (plan-lines.ts), given by a page that reads them too.
 */
export const planDetail = (doc: PlanDoc, today: string, lines: readonly ActionLine[] = doc.actions.map((a) => actionLine(a, doc))) => {
  const actions: ActionView[] = doc.actions.map((a, i) => actionView(doc, a, today, lines[i]));
  return {
    ...planHeader(planHeaderOf(doc), { revision: doc.revision, lastRecordedAt: doc.lastRecordedAt }),
    description: doc.plan.description ?? null,
    ragLegend: doc.plan.ragLegend,
    ownerChanges: doc.ownerChanges,
    today,
    sections: doc.sections.map((s) => ({
      sectionRef: s.sectionRef,
      title: s.title,
      actionRefs: actions.filter((a) => a.sectionRef === s.sectionRef).map((a) => a.ref),
    })),
    recommendations: doc.recommendations.map((r) => recommendationView(doc, r)),
    actions,
    corrections: doc.corrections.map(({ recorded: _recorded, ...c }) => c),
  };
};
export type PlanDetail = ReturnType<typeof planDetail>;
