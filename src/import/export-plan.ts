import type { PlanFact } from '../domain/plan/state.ts';
import { asCorrected } from '../domain/plan/evolve.ts';
import { resolveCorrections } from '../domain/correction-overlay.ts';
import type { DocumentAction, PlanDocument } from './plan-document.ts';
import { later } from './dates.ts';

/**
 * A plan in the ledger, written back out in the import format: what the plan holds
 * now, each fact with the business date it took effect. Importing the result into an
 * empty ledger records the same facts with the same dates. Lead changes are written
 * as the current leads; evidence, responses, assurance and corrections are not part
 * of the import format and are left out (the audit export carries everything). Each fact is
 * written as its corrections leave it, its values and its business date: the plan as the
 * ledger holds it, not as first typed.
 */
export const exportPlan = (recorded: PlanFact[]): PlanDocument => {
  const inForce = resolveCorrections(recorded.flatMap((f) => (f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data }] : [])));
  const facts = recorded.map((fact) => asCorrected(fact, inForce.get(fact.eventId)));
  const doc: PlanDocument = {
    format: 'assurance-ledger-plan',
    version: 1,
    plan: undefined as unknown as PlanDocument['plan'],
    sections: [],
    recommendations: [],
    actions: [],
    updates: [],
    glossary: [],
    organisations: [],
  };
  const actions = new Map<string, DocumentAction>();
  let latest = '0000-01';
  for (const fact of facts) {
    latest = later(latest, fact.effectiveOn);
    const on = fact.effectiveOn;
    switch (fact.type) {
      case 'PlanRegistered': {
        const { planId, title, kind, owner, governanceBody, area, description, ragLegend } = fact.data;
        doc.plan = {
          planId,
          title,
          kind,
          owner,
          ragLegend,
          date: on,
          effectiveOn: on,
          ...(governanceBody ? { governanceBody } : {}),
          ...(area ? { area } : {}),
          ...(description ? { description } : {}),
        };
        break;
      }
      case 'PlanOwnerChanged':
        // The plan as it stands: its current owner (the ledger keeps who owned it before).
        doc.plan.owner = fact.data.to;
        break;
      case 'SectionAdded':
        doc.sections.push({ ref: fact.data.sectionRef, title: fact.data.title, effectiveOn: on });
        break;
      case 'RecommendationRecorded':
        doc.recommendations.push({ ...fact.data, effectiveOn: on });
        break;
      case 'ActionAgreed': {
        const action: DocumentAction = { ...fact.data, revisions: [], effectiveOn: on };
        actions.set(action.ref, action);
        doc.actions.push(action);
        break;
      }
      case 'DeadlineRevised':
        actions.get(fact.data.ref)?.revisions.push({ to: fact.data.to, reason: fact.data.reason, effectiveOn: on });
        break;
      case 'ActionLeadChanged': {
        const action = actions.get(fact.data.ref);
        if (action) {
          action.leadOrganisations = fact.data.to;
          if (fact.data.partnersTo) action.partnerOrganisations = fact.data.partnersTo;
        }
        break;
      }
      case 'ProgressUpdateRecorded':
        doc.updates.push({
          target: fact.data.target,
          narrative: fact.data.narrative,
          effectiveOn: on,
          ...(fact.data.reportedRag ? { reportedRag: fact.data.reportedRag } : {}),
        });
        break;
      case 'ActionCompleted': {
        const action = actions.get(fact.data.ref);
        if (action)
          action.closure = {
            kind: 'completed',
            completedOn: fact.data.completedOn,
            ...(fact.data.summary ? { summary: fact.data.summary } : {}),
          };
        break;
      }
      case 'ActionSubsumed': {
        const action = actions.get(fact.data.ref);
        if (action) action.closure = { kind: 'subsumed', into: fact.data.into, reason: fact.data.reason, effectiveOn: on };
        break;
      }
      case 'ActionWithdrawn': {
        const action = actions.get(fact.data.ref);
        if (action) action.closure = { kind: 'withdrawn', reason: fact.data.reason, effectiveOn: on };
        break;
      }
      case 'ActionReopened': {
        const action = actions.get(fact.data.ref);
        if (action) delete action.closure;
        break;
      }
      default:
        break;
    }
  }
  if (!doc.plan) throw new Error('the stream has no PlanRegistered event: nothing to export');
  doc.plan.date = latest;
  return doc;
};
