import { lastDayOf } from '../../events/business-date.ts';
import { recordedDay } from '../clocks/recorded-day.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { applyCorrection } from './corrections.ts';
import { daysBetween } from './dates.ts';
import type { ActionDoc, ClosureItem, PlanDoc, RecommendationDoc, Reported, Source } from './document.ts';
import { copyJson } from '../copy-json.ts';

/** Typed in this long after its business date, an update is flagged for the discrepancy report. */
export const LATE_RECORD_DAYS = 30;

const sourceOf = (fact: LedgerFact): Source => ({
  eventId: fact.eventId,
  recordedAt: fact.recordedAt,
  effectiveOn: fact.effectiveOn.date,
  by: fact.actor.name,
});

const findAction = (doc: PlanDoc, ref: string): ActionDoc | undefined => doc.actions.find((a) => a.ref === ref);
const findRecommendation = (doc: PlanDoc, ref: string): RecommendationDoc | undefined => doc.recommendations.find((r) => r.ref === ref);

const targetOf = (doc: PlanDoc, target: { kind: 'action' | 'recommendation'; ref: string }): Reported | undefined =>
  target.kind === 'action' ? findAction(doc, target.ref) : findRecommendation(doc, target.ref);

const touch = (action: ActionDoc | undefined, fact: LedgerFact) => {
  if (action)
    action.lastActivity = {
      eventId: fact.eventId,
      recordedAt: fact.recordedAt,
      effectiveOn: fact.effectiveOn.date,
      recordedOn: fact.effectiveOn.date,
    };
};

/** Late records kept per action: an imported history can make every update late, and the count says so. */
export const LATE_RECORDS_KEPT = 1;

let lastEffective = '';
let lastEffectiveDay = '';
const effectiveDay = (date: string): string => {
  if (date !== lastEffective) {
    lastEffective = date;
    lastEffectiveDay = lastDayOf(date);
  }
  return lastEffectiveDay;
};

const noteIfLate = (action: ActionDoc | undefined, fact: LedgerFact) => {
  if (!action) return;
  const lagDays = daysBetween(effectiveDay(fact.effectiveOn.date), recordedDay(fact.recordedAt));
  if (lagDays <= LATE_RECORD_DAYS) return;
  const late = action.late;
  late.count++;
  late.maxLagDays = Math.max(late.maxLagDays, lagDays);
  late.latest.push({ eventId: fact.eventId, type: fact.type, effectiveOn: fact.effectiveOn.date, recordedAt: fact.recordedAt, lagDays });
  if (late.latest.length > LATE_RECORDS_KEPT) late.latest.shift();
};

const applyToPlan = (doc: PlanDoc, fact: LedgerFact): void => {
  const source = sourceOf(fact);
  switch (fact.type) {
    case 'PlanRegistered':
      return; // a plan is registered once; the decider refuses a second registration
    case 'PlanOwnerChanged':
      doc.ownerChanges.push({ ...source, ...fact.data });
      return;
    case 'SectionAdded':
      doc.sections.push({ ...source, ...fact.data });
      return;
    case 'RecommendationRecorded': {
      const { ref, ...fields } = fact.data;
      doc.recommendations.push({
        ref,
        recorded: { ...source, ...fields },
        responses: [],
        assurances: [],
        updates: 0,
        lastUpdate: null,
        evidence: [],
      });
      return;
    }
    case 'RecommendationResponseRecorded': {
      const { ref, ...fields } = fact.data;
      findRecommendation(doc, ref)?.responses.push({ ...source, ...fields });
      return;
    }
    case 'RecommendationAssured': {
      const { ref, ...fields } = fact.data;
      findRecommendation(doc, ref)?.assurances.push({ ...source, ...fields });
      return;
    }
    case 'ActionAgreed': {
      const { ref, sectionRef, ...fields } = fact.data;
      doc.actions.push({
        ref,
        sectionRef: sectionRef ?? null,
        agreed: { ...source, ...fields },
        leadChanges: [],
        revisions: [],
        closure: null,
        updates: 0,
        lastUpdate: null,
        evidence: [],
        late: { count: 0, maxLagDays: 0, latest: [] },
        lastActivity: {
          eventId: fact.eventId,
          recordedAt: fact.recordedAt,
          effectiveOn: fact.effectiveOn.date,
          recordedOn: fact.effectiveOn.date,
        },
      });
      return;
    }
    case 'ActionLeadChanged':
    case 'DeadlineRevised': {
      const { ref, ...fields } = fact.data;
      const action = findAction(doc, ref);
      if (fact.type === 'ActionLeadChanged') action?.leadChanges.push({ ...source, ...(fields as Omit<typeof fact.data, 'ref'>) });
      else
        action?.revisions.push({
          ...source,
          ...(fields as Omit<typeof fact.data, 'ref'>),
          streamRevision: fact.revision,
          correctionsBefore: doc.corrections.length,
        });
      touch(action, fact);
      return;
    }
    case 'ProgressUpdateRecorded': {
      // Most events are progress updates: built field by field rather than copied twice.
      const { target, narrative, reportedRag, metrics } = fact.data;
      const reported = targetOf(doc, target);
      if (reported) {
        reported.updates++;
        reported.lastUpdate = {
          eventId: source.eventId,
          recordedAt: source.recordedAt,
          effectiveOn: source.effectiveOn,
          by: source.by,
          narrative,
          metrics,
        };
        if (reportedRag !== undefined) reported.lastUpdate.reportedRag = reportedRag;
      }
      if (target.kind === 'action') {
        const action = reported as ActionDoc | undefined;
        touch(action, fact);
        noteIfLate(action, fact);
      }
      return;
    }
    case 'EvidenceLinked':
    case 'EvidenceFileAttached': {
      const { target, ...fields } = fact.data;
      targetOf(doc, target)?.evidence.push({ ...source, ...fields });
      if (target.kind === 'action') touch(findAction(doc, target.ref), fact);
      return;
    }
    case 'EvidenceErased':
      doc.erasures.push({ ...source, ...fact.data });
      return;
    case 'ActionCompleted':
    case 'ActionSubsumed':
    case 'ActionWithdrawn':
    case 'ActionReopened': {
      const kinds = {
        ActionCompleted: 'completed',
        ActionSubsumed: 'subsumed',
        ActionWithdrawn: 'withdrawn',
        ActionReopened: 'reopened',
      } as const;
      const { ref, ...fields } = fact.data;
      const action = findAction(doc, ref);
      if (action)
        action.closure = {
          ...source,
          kind: kinds[fact.type],
          ...fields,
          streamRevision: fact.revision,
          correctionsBefore: doc.corrections.length,
        } as ClosureItem;
      touch(action, fact);
      if (fact.type === 'ActionCompleted') noteIfLate(action, fact);
      return;
    }
    case 'EntryCorrected':
      applyCorrection(doc, { ...source, ...fact.data, recorded: copyJson(fact.data) });
      return;
    case 'PlanRetracted':
      doc.retraction = { ...source, reason: fact.data.reason };
      return;
    case 'PlanReinstated':
      doc.retraction = null;
      return;
    default: {
      const exhaustive: never = fact;
      return exhaustive;
    }
  }
};

const registered = (fact: Extract<LedgerFact, { type: 'PlanRegistered' }>): PlanDoc => {
  const { planId, ...fields } = fact.data;
  return {
    planId,
    position: -1,
    revision: -1,
    lastRecordedAt: fact.recordedAt,
    plan: { ...sourceOf(fact), ...fields },
    ownerChanges: [],
    sections: [],
    recommendations: [],
    actions: [],
    corrections: [],
    erasures: [],
    originals: {},
    retraction: null,
  };
};

/**
 * The one fold of the plan-status view, used by the live read model, by rebuilds and by
 * every "as of" answer. Like the decider's evolve it updates the document it is given
 * (copying a large document on each of a million events would dominate a rebuild);
 * callers that need the old document keep their own. An event at or below the
 * document's position has been applied already and changes nothing.
 */
export const evolvePlanStatus = (doc: PlanDoc | undefined, fact: LedgerFact): PlanDoc | undefined => {
  if (doc === undefined) {
    if (fact.type !== 'PlanRegistered') return undefined;
    doc = registered(fact);
  }
  // The document keeps positions as JSON numbers (document.ts): converted at this one edge.
  const position = Number(fact.position);
  if (position <= doc.position) return doc;
  applyToPlan(doc, fact);
  doc.position = position;
  doc.revision = fact.revision;
  doc.lastRecordedAt = fact.recordedAt;
  return doc;
};
