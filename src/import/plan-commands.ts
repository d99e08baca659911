import { sameDue, type Due } from '../../events/business-date.ts';
import type { Provenance } from '../../events/envelope.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { updateKey, type LedgerPlan } from './ledger-plan.ts';
import { lastRatedUpdates, movedRating } from './moved-rating.ts';
import { codePointOf, forbiddenCharacters } from '../domain/plan/texts.ts';
import type { ImportWarning, PlanDocument } from './plan-document.ts';
import { closedStatuses } from '../domain/action-status.ts';
import type { ActionState } from '../domain/plan/state.ts';
import type { BatchCommand } from '../commands/command-requests.ts';
import { endsBefore } from '../domain/calendar.ts';
import { latestChanges } from './older-than-ledger.ts';
import { noFacts, type FactCounts } from './fact-counts.ts';

/** Names in a warning, each refused character in them shown as its code point (<U+0085>), never sent as it is. */
const namesShown = (names: string[]): string =>
  names.map((name) => `"${name.replace(forbiddenCharacters(), (found) => `<${codePointOf(found)}>`)}"`).join(', ');

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/**
 * The commands that bring the ledger's plan up to what the document says, and only
 * those: a fact already recorded (same section, action, update, deadline, closure) is
 * not recorded again, so re-importing a file writes nothing and a later version of the
 * plan adds only its new updates, revisions and closures. Things the ledger cannot
 * take from a document (an update on an action it already holds closed, a plan whose
 * title changed) are warnings.
 */
export const planCommands = (
  document: PlanDocument,
  ledger: LedgerPlan,
  source: { file: string; sha256: string },
  warnings: ImportWarning[],
): { items: BatchCommand[]; counts: FactCounts } => {
  const items: BatchCommand[] = [];
  const counts = noFacts();
  const { plan } = document;
  const provenance = (location: string | undefined): Provenance => ({
    source: 'import',
    file: source.file,
    sha256: source.sha256,
    ...(location ? { location } : {}),
  });
  const add = (command: PlanCommand, effectiveOn: string | undefined, location: string | undefined) =>
    items.push({ command, effectiveOn: effectiveOn ?? plan.date, provenance: provenance(location) });
  const state = ledger.state.status === 'registered' ? ledger.state : undefined;
  /**
   * The date a fact about an action takes when the document gives it none: the plan's date, or
   * the action's agreement if that is later, as nothing about an action is dated before it was
   * agreed (src/domain/plan/rules.ts). A CSV action row may carry a later date than its plan row.
   */
  const undatedFor = (ref: string): string => {
    const agreed = state?.actions.get(ref)?.agreedOn ?? document.actions.find((a) => a.ref === ref)?.effectiveOn;
    return agreed !== undefined && endsBefore(plan.date, agreed) ? agreed : plan.date;
  };

  const registered = ledger.facts.find((f) => f.type === 'PlanRegistered');
  if (state && registered?.type === 'PlanRegistered') {
    // The owner is compared with the plan's owner now: it may have passed to another organisation since it was registered.
    const held = { title: registered.data.title, owner: state.owner, kind: registered.data.kind };
    for (const field of ['title', 'owner', 'kind'] as const)
      if (held[field] !== plan[field])
        warnings.push({
          code: 'plan-details-differ',
          message:
            `the plan's ${field} in the ledger is "${held[field]}", the document says ` +
            `"${plan[field]}"; the ledger's is kept (plan details are not changed by an import)`,
        });
  }
  if (!state) {
    const { planId, title, kind, owner, governanceBody, area, description, ragLegend } = plan;
    add(
      {
        type: 'RegisterPlan',
        data: {
          planId,
          title,
          kind,
          owner,
          ragLegend,
          ...(governanceBody ? { governanceBody } : {}),
          ...(area ? { area } : {}),
          ...(description ? { description } : {}),
        },
      },
      plan.effectiveOn,
      plan.location,
    );
    counts.plans++;
  }
  for (const s of document.sections)
    if (!state?.sections.has(s.ref)) {
      add({ type: 'AddSection', data: { sectionRef: s.ref, title: s.title } }, s.effectiveOn, s.location);
      counts.sections++;
    }
  for (const r of document.recommendations)
    if (!state?.recommendations.has(r.ref)) {
      const { ref, text, source: from, addressedTo, due } = r;
      add(
        { type: 'RecordRecommendation', data: { ref, text, addressedTo, ...(from ? { source: from } : {}), ...(due ? { due } : {}) } },
        r.effectiveOn,
        r.location,
      );
      counts.recommendations++;
    }

  const current = new Map<string, { due: Due; closed: boolean; known?: ActionState }>();
  const warnIfOlder = latestChanges(ledger.facts, warnings);
  for (const a of document.actions) {
    const known = state?.actions.get(a.ref);
    if (!known) {
      const {
        ref,
        sectionRef,
        text,
        recommendationRefs,
        leadOrganisations,
        partnerOrganisations,
        ledByWording,
        intendedOutcomes,
        due,
        relatedActionRefs,
      } = a;
      add(
        {
          type: 'AgreeAction',
          data: {
            ref,
            text,
            recommendationRefs,
            leadOrganisations,
            partnerOrganisations,
            intendedOutcomes,
            due,
            relatedActionRefs,
            ...(sectionRef ? { sectionRef } : {}),
            ...(ledByWording ? { ledByWording } : {}),
          },
        },
        a.effectiveOn,
        a.location,
      );
      counts.actions++;
      counts.links += relatedActionRefs.length;
      current.set(a.ref, { due, closed: false });
      continue;
    }
    current.set(a.ref, { due: known.due, closed: closedStatuses.has(known.status), known });
    const leadsChanged = !sameSet(known.leadOrganisations, a.leadOrganisations);
    if ((leadsChanged || !sameSet(known.partnerOrganisations, a.partnerOrganisations)) && !closedStatuses.has(known.status)) {
      const recorded = ledger.namesCleaned.get(a.ref);
      const names = recorded && namesShown([...recorded.leadOrganisations, ...recorded.partnerOrganisations]);
      if (names)
        warnings.push({
          code: 'recorded-name-not-kept',
          location: a.location,
          message:
            `action ${a.ref}'s organisations are recorded as ${names}, ` +
            'with control characters the ledger no longer records: changing its leads or partners records them without ' +
            'those characters, which may name other organisations',
        });
      warnIfOlder('leads', a.ref, undatedFor(a.ref), a.location);
      add(
        { type: 'ChangeActionLead', data: { ref: a.ref, to: a.leadOrganisations, partnersTo: a.partnerOrganisations } },
        undatedFor(a.ref),
        a.location,
      );
      counts.leadChanges++;
    }
  }

  for (const a of document.actions) {
    const now = current.get(a.ref)!;
    // A plan already in the ledger moves only to the document's latest timescale, whatever the route there.
    const latest = a.revisions.at(-1) ?? {
      to: a.due,
      reason:
        `The timescale in this version of the plan is ` +
        `"${a.due.kind === 'date' ? (a.due.wording ?? a.due.date) : (a.due.wording ?? a.due.kind)}"`,
      effectiveOn: undatedFor(a.ref),
      location: a.location,
    };
    const revisions = now.known ? [latest] : a.revisions;
    for (const r of revisions) {
      if (sameDue(now.due, r.to)) continue;
      if (now.closed) {
        warnings.push({
          code: 'revision-on-closed-action',
          message: `action ${a.ref} is closed in the ledger; its revised timescale (${r.location ?? 'in the document'}) was not recorded`,
        });
        continue;
      }
      const on = r.effectiveOn ?? undatedFor(a.ref);
      if (now.known) warnIfOlder('deadline', a.ref, on, r.location ?? a.location);
      add({ type: 'ReviseDeadline', data: { ref: a.ref, to: r.to, reason: r.reason } }, on, r.location);
      now.due = r.to;
      counts.revisions++;
    }
  }

  const matched = new Map<string, number>();
  const dateOf = (u: PlanDocument['updates'][number]) =>
    u.effectiveOn ?? (u.target.kind === 'action' ? undatedFor(u.target.ref) : plan.date);
  const lastRated = lastRatedUpdates(document.updates, dateOf);
  for (const inDocument of document.updates) {
    let u = inDocument;
    let date = dateOf(u);
    const any = updateKey(u.target.kind, u.target.ref, '*', u.narrative);
    const seen = matched.get(any) ?? 0;
    const dated = updateKey(u.target.kind, u.target.ref, date, u.narrative);
    if (ledger.updateKeys.has(dated) || seen < (ledger.narrativeCounts.get(any) ?? 0)) {
      matched.set(any, seen + 1);
      // Held; but a rating beside it that moved is news (moved-rating.ts). An action the ledger holds closed takes none.
      const open = u.target.kind !== 'action' || !current.get(u.target.ref)?.closed;
      const on = u.target.kind === 'action' ? undatedFor(u.target.ref) : plan.date;
      const rating = open ? movedRating(ledger, u, lastRated, on) : undefined;
      if (!rating) continue;
      u = { ...u, narrative: `RAG status reported in the plan: ${rating}` };
      date = on;
      if (ledger.updateKeys.has(updateKey(u.target.kind, u.target.ref, date, u.narrative))) continue;
    }
    if (u.target.kind === 'action' && current.get(u.target.ref)?.closed) {
      warnings.push({
        code: 'update-on-closed-action',
        message:
          `action ${u.target.ref} is closed in the ledger; a new update (${u.location ?? 'in the document'}) ` +
          `was not recorded — reopen the action first if the work continues`,
      });
      continue;
    }
    const { target, narrative, reportedRag } = u;
    add(
      { type: 'RecordProgressUpdate', data: { target, narrative, metrics: [], ...(reportedRag ? { reportedRag } : {}) } },
      date,
      u.location,
    );
    counts.updates++;
  }

  for (const a of document.actions) {
    const now = current.get(a.ref)!;
    const c = a.closure;
    if (now.closed) {
      if (!c)
        warnings.push({
          code: 'closed-in-ledger',
          message: `action ${a.ref} is closed in the ledger but not in this document; it was not reopened`,
        });
      continue;
    }
    if (!c) continue;
    if (c.kind === 'completed') {
      add(
        { type: 'CompleteAction', data: { ref: a.ref, completedOn: c.completedOn, ...(c.summary ? { summary: c.summary } : {}) } },
        c.completedOn,
        c.location,
      );
      counts.completions++;
    } else if (c.kind === 'subsumed') {
      add({ type: 'SubsumeAction', data: { ref: a.ref, into: c.into, reason: c.reason } }, c.effectiveOn ?? undatedFor(a.ref), c.location);
      counts.subsumptions++;
    } else {
      add({ type: 'WithdrawAction', data: { ref: a.ref, reason: c.reason } }, c.effectiveOn ?? undatedFor(a.ref), c.location);
      counts.withdrawals++;
    }
  }
  return { items, counts };
};
