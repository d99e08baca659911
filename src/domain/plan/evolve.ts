import { resolveCorrections, splitOverlay, type Overlay } from '../correction-overlay.ts';
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
    case 'PlanOwnerChanged':
      plan.owner = fact.data.to;
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
    case 'EvidenceFileAttached':
      if (!plan.evidenceFiles.has(fact.data.file.sha256)) plan.evidenceFiles.set(fact.data.file.sha256, { erased: false });
      return;
    case 'EvidenceErased':
      plan.evidenceFiles.set(fact.data.sha256, { erased: true });
      return;
    case 'PlanRetracted':
    case 'PlanReinstated':
      plan.retracted = fact.type === 'PlanRetracted';
      return;
    case 'RecommendationResponseRecorded':
    case 'EvidenceLinked':
    case 'RecommendationAssured':
    case 'EntryCorrected':
      return;
    default: {
      const _exhaustive: never = fact;
      return _exhaustive;
    }
  }
};

/**
 * The fact as its corrections left it. The overlaid fields were checked against the event's
 * schema when each correction was decided, so the result is read as a fact of the same type.
 */
const withCorrections = (plan: RegisteredPlan, fact: PlanFact): PlanFact => asCorrected(fact, plan.corrections.get(fact.eventId));

/** A fact with an overlay of corrections laid on it: its data fields, and its business date where one is set. */
export const asCorrected = (fact: PlanFact, overlay: Overlay | undefined): PlanFact => {
  if (!overlay) return fact;
  const { fields, effectiveOn } = splitOverlay(overlay);
  return { ...fact, effectiveOn: effectiveOn ?? fact.effectiveOn, data: { ...fact.data, ...fields } } as PlanFact;
};

/** Folds the plan's history again with every correction overlaid on the event it corrects. */
const refold = (plan: RegisteredPlan): void => {
  plan.sections.clear();
  plan.recommendations.clear();
  plan.actions.clear();
  plan.evidenceFiles.clear();
  for (const fact of plan.history) applyFact(plan, withCorrections(plan, fact));
};

/**
 * A fresh state of the plan's entities just before one of its events, with the given
 * corrections in force instead of the plan's own: what a correction is checked against,
 * as the event's command was checked against the state before it. `plan` is not changed.
 */
export const foldBefore = (plan: RegisteredPlan, eventId: string, corrections: Map<string, Overlay>): RegisteredPlan => {
  const before: RegisteredPlan = {
    ...plan,
    sections: new Set(),
    recommendations: new Map(),
    actions: new Map(),
    evidenceFiles: new Map(),
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
      retracted: false,
      governanceBody: fact.data.governanceBody,
      sections: new Set(),
      recommendations: new Map(),
      actions: new Map(),
      evidenceFiles: new Map(),
      events: new Map(),
      history: [],
      correctionFacts: [],
      corrections: new Map(),
    };
    plan.events.set(fact.eventId, { type: fact.type, data: fact.data, effectiveOn: fact.effectiveOn });
    plan.history.push(fact);
    return plan;
  }
  state.events.set(fact.eventId, { type: fact.type, data: fact.data, effectiveOn: fact.effectiveOn });
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
