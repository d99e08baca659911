import type { ActionState, Plan, PlanFact, RegisteredPlan } from './state.ts';

/** Applies one fact to the entities of a registered plan (sections, recommendations, actions). */
const applyFact = (plan: RegisteredPlan, fact: PlanFact): void => {
  const action = (ref: string): ActionState | undefined => plan.actions.get(ref);
  switch (fact.type) {
    case 'PlanRegistered':
      // Applied again on every refold, so a corrected owner takes effect.
      plan.owner = fact.data.owner;
      plan.governanceBody = fact.data.governanceBody;
      return;
    case 'SectionAdded':
      plan.sections.add(fact.data.sectionRef);
      return;
    case 'RecommendationRecorded':
      plan.recommendations.set(fact.data.ref, { ref: fact.data.ref, addressedTo: fact.data.addressedTo ?? [] });
      return;
    case 'ActionAgreed':
      plan.actions.set(fact.data.ref, {
        ref: fact.data.ref,
        sectionRef: fact.data.sectionRef,
        status: 'open',
        agreedOn: fact.effectiveOn,
        due: fact.data.due,
        leadOrganisations: fact.data.leadOrganisations,
        partnerOrganisations: fact.data.partnerOrganisations,
      });
      return;
    case 'ActionLeadChanged': {
      const a = action(fact.data.ref);
      if (!a) return;
      a.leadOrganisations = fact.data.to;
      if (fact.data.partnersTo) a.partnerOrganisations = fact.data.partnersTo;
      return;
    }
    case 'DeadlineRevised': {
      const a = action(fact.data.ref);
      if (a) a.due = fact.data.to;
      return;
    }
    case 'ProgressUpdateRecorded': {
      const a = fact.data.target.kind === 'action' ? action(fact.data.target.ref) : undefined;
      if (a && a.status === 'open') a.status = 'inProgress';
      return;
    }
    case 'ActionCompleted':
    case 'ActionSubsumed':
    case 'ActionWithdrawn': {
      const a = action(fact.data.ref);
      const status = { ActionCompleted: 'completed', ActionSubsumed: 'subsumed', ActionWithdrawn: 'withdrawn' } as const;
      if (a) a.status = status[fact.type];
      return;
    }
    case 'ActionReopened': {
      const a = action(fact.data.ref);
      if (a) a.status = 'inProgress';
      return;
    }
    case 'RecommendationResponseRecorded':
    case 'EvidenceLinked':
    case 'RecommendationAssured':
    case 'EntryCorrected':
      return;
    default: {
      const exhaustive: never = fact;
      return exhaustive;
    }
  }
};

/**
 * The key under which a corrected business date travels in the resolved overlays, beside the
 * data fields. No event's data has a field of this name (a correction naming it in `changes`
 * is refused), so the date is overlaid and merged by the same "latest word wins" rules, and
 * the plan-status view, whose items carry their date as `effectiveOn`, can lay it like a field.
 */
export const EFFECTIVE_ON = 'effectiveOn';

/** An overlay split into the data fields it changes and the business date it sets, if any. */
export const splitOverlay = (overlay: Record<string, unknown>): { fields: Record<string, unknown>; effectiveOn: string | undefined } => {
  const { [EFFECTIVE_ON]: effectiveOn, ...fields } = overlay;
  return { fields, effectiveOn: effectiveOn as string | undefined };
};

const withCorrections = (plan: RegisteredPlan, fact: PlanFact): PlanFact => {
  const overlay = plan.corrections.get(fact.eventId);
  if (!overlay) return fact;
  const { fields, effectiveOn } = splitOverlay(overlay);
  return { ...fact, effectiveOn: effectiveOn ?? fact.effectiveOn, data: { ...fact.data, ...fields } } as PlanFact;
};

/**
 * The changes in force for each corrected event. A later correction may correct an
 * earlier one, so corrections are read newest first to find each one's effective
 * content, then merged oldest first so the latest word on a field wins. `amended` is
 * each correction's own data as later corrections of it left it.
 */
export const resolveCorrectionsWithAmendments = (
  correctionFacts: readonly PlanFact[],
): { resolved: Map<string, Record<string, unknown>>; amended: Map<string, Record<string, unknown>> } => {
  const overlays = new Map<string, Record<string, unknown>>();
  const amended = new Map<string, Record<string, unknown>>();
  const effective: { eventId: string; target: string; changes: Record<string, unknown>; effectiveOn: string | undefined }[] = [];
  for (const fact of [...correctionFacts].reverse()) {
    if (fact.type !== 'EntryCorrected') continue;
    const data = { ...fact.data, ...overlays.get(fact.eventId) } as typeof fact.data;
    amended.set(fact.eventId, data);
    effective.unshift({
      eventId: fact.eventId,
      target: data.correctedEventId,
      changes: data.changes,
      effectiveOn: data.correctedEffectiveOn,
    });
    overlays.set(data.correctedEventId, { ...data.changes, ...overlays.get(data.correctedEventId) });
  }
  const correctionIds = new Set(effective.map((c) => c.eventId));
  const resolved = new Map<string, Record<string, unknown>>();
  for (const c of effective) {
    // A correction's own business date is never corrected (the decider refuses it), so only
    // corrections of other events carry a date into the overlay.
    if (correctionIds.has(c.target)) continue;
    const date = c.effectiveOn === undefined ? {} : { [EFFECTIVE_ON]: c.effectiveOn };
    resolved.set(c.target, { ...resolved.get(c.target), ...c.changes, ...date });
  }
  return { resolved, amended };
};

export const resolveCorrections = (correctionFacts: readonly PlanFact[]): Map<string, Record<string, unknown>> =>
  resolveCorrectionsWithAmendments(correctionFacts).resolved;

/** Folds the plan's history again with every correction overlaid on the event it corrects. */
const refold = (plan: RegisteredPlan): void => {
  plan.sections.clear();
  plan.recommendations.clear();
  plan.actions.clear();
  for (const fact of plan.history) applyFact(plan, withCorrections(plan, fact));
};

/**
 * A fresh state of the plan's entities just before one of its events, with the given
 * corrections in force instead of the plan's own: what a correction is checked against,
 * as the event's command was checked against the state before it. `plan` is not changed.
 */
export const foldBefore = (plan: RegisteredPlan, eventId: string, corrections: Map<string, Record<string, unknown>>): RegisteredPlan => {
  const before: RegisteredPlan = {
    ...plan,
    sections: new Set(),
    recommendations: new Map(),
    actions: new Map(),
    corrections,
  };
  for (const fact of plan.history) {
    if (fact.eventId === eventId) break;
    applyFact(before, withCorrections(before, fact));
  }
  return before;
};

/**
 * evolve mutates and returns the state it is given: the command handler keeps one
 * folded state per stream and feeds it new events, so copying on every event would
 * only cost time. Callers that need the old state fold a fresh one.
 */
export const evolve = (state: Plan, fact: PlanFact): Plan => {
  if (state.status === 'unregistered') {
    if (fact.type !== 'PlanRegistered') return state;
    const plan: RegisteredPlan = {
      status: 'registered',
      planId: fact.data.planId,
      owner: fact.data.owner,
      governanceBody: fact.data.governanceBody,
      sections: new Set(),
      recommendations: new Map(),
      actions: new Map(),
      events: new Map(),
      history: [],
      correctionFacts: [],
      corrections: new Map(),
    };
    plan.events.set(fact.eventId, { type: fact.type, data: fact.data, effectiveOn: fact.effectiveOn });
    plan.history.push(fact);
    return plan;
  }
  state.events.set(fact.eventId, { type: fact.type, data: fact.data as Record<string, unknown>, effectiveOn: fact.effectiveOn });
  if (fact.type === 'EntryCorrected') {
    state.correctionFacts.push(fact);
    state.corrections = resolveCorrections(state.correctionFacts);
    refold(state);
    return state;
  }
  state.history.push(fact);
  applyFact(state, withCorrections(state, fact));
  return state;
};
