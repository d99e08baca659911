import type { ActionView } from '../../projections/plan-status/action-view.ts';
import type { planChanges } from '../../projections/plan-status/changes.ts';
import type { TimelineState } from '../../projections/timeline/timeline.ts';
import { actionStatus, businessDate, counted, days as dayCount, due, instant, statusColour, statusText } from '../presentation/format.ts';

type PlanChanges = ReturnType<typeof planChanges>;
type ChangedField = PlanChanges['actions'][number]['fields'][number]['field'];
type Assurance = PlanChanges['recommendations'][number]['assuranceAfter'];

/** One side of a change as the page shows it: words, a list, or a status tag (words with the tag's colour). */
export interface Shown {
  text: string;
  items?: string[];
  colour?: string;
}

const countedOrNone = (n: number, one: string, many: string) => (n === 0 ? 'None' : counted(n, one, many));
const names = (list: readonly string[]): Shown => ({ text: list.length ? list.join(', ') : 'None' });
const late = (days: number | null): Shown => ({
  text: days === null ? 'None' : days === 0 ? 'On time' : `${dayCount(days)} late`,
});

/** How an action was closed (a reopening shows as not closed), and who recorded it when: two closings in the same words are told apart. */
const closureWords = (closure: ActionView['closure']): Shown => {
  if (closure === null) return { text: 'Not closed' };
  const recorded = ` (recorded by ${closure.by}, ${instant(closure.recordedAt)})`;
  switch (closure.kind) {
    case 'completed':
      return { text: `Completed ${businessDate(closure.completedOn)}${closure.summary ? `: ${closure.summary}` : ''}${recorded}` };
    case 'subsumed': {
      const into = closure.into.kind === 'action' ? `action ${closure.into.ref}` : closure.into.name;
      return { text: `Subsumed into ${into}: ${closure.reason}${recorded}` };
    }
    case 'withdrawn':
      return { text: `Withdrawn: ${closure.reason}${recorded}` };
  }
};

/**
 * Every field changesView compares, in the words of the action's own page (`action.njk`): a field
 * added to the comparison does not compile until it is given words here.
 */
const FIELDS: { [K in ChangedField]: { label: string; words: (value: ActionView[K]) => Shown } } = {
  text: { label: 'What the action is', words: (text) => ({ text }) },
  status: { label: 'Status recorded', words: (status) => ({ text: actionStatus[status] }) },
  computedStatus: { label: "Ledger's status", words: (status) => ({ text: statusText(status), colour: statusColour(status) }) },
  leadOrganisations: { label: 'Led by', words: names },
  partnerOrganisations: { label: 'Partners', words: names },
  agreedOn: { label: 'Agreed', words: (day) => ({ text: businessDate(day) }) },
  originalDue: { label: 'First deadline', words: (deadline) => ({ text: due(deadline) }) },
  currentDue: { label: 'Deadline in force', words: (deadline) => ({ text: due(deadline) }) },
  revisions: { label: 'Deadline revisions', words: (n) => ({ text: countedOrNone(n, 'revision', 'revisions') }) },
  closure: { label: 'Closed', words: closureWords },
  daysLateAgainstOriginal: { label: 'Completed against the first deadline', words: late },
  daysLateAgainstCurrent: { label: 'Completed against the deadline in force', words: late },
  reportedRag: {
    label: 'Reported RAG',
    words: (rag) =>
      rag ? { text: `${rag.rating}${rag.meaning ? `: ${rag.meaning}` : ''} (${businessDate(rag.reportedOn)})` } : { text: 'Not reported' },
  },
  updates: { label: 'Progress updates', words: (n) => ({ text: countedOrNone(n, 'update', 'updates') }) },
  evidence: {
    label: 'Evidence',
    words: (items) =>
      items.length
        ? {
            text: `${items.length} item${items.length === 1 ? '' : 's'}`,
            items: items.map((e) => `${e.title}${'erased' in e && e.erased ? ' (file erased)' : ''}`),
          }
        : { text: 'None recorded' },
  },
};

type PlanField = PlanChanges['plan'][number]['field'];
const orNone = (value: unknown): Shown => ({ text: typeof value === 'string' && value !== '' ? value : 'None' });

/** The plan's own fields changesView compares, in the words of the plan's page. */
const PLAN_FIELDS: Record<PlanField, { label: string; words: (value: unknown) => Shown }> = {
  title: { label: 'Title', words: orNone },
  owner: { label: 'Owner', words: orNone },
  governanceBody: { label: 'Governance body', words: orNone },
  area: { label: 'Area', words: orNone },
  description: { label: 'Description', words: orNone },
  ragLegend: {
    label: 'RAG legend',
    words: (legend) => {
      const items = (legend as { rating: string; meaning: string }[]).map((l) => `${l.rating}: ${l.meaning}`);
      return items.length ? { text: items.join('; '), items } : { text: 'None' };
    },
  },
  sections: {
    label: 'Sections',
    words: (sections) => {
      const items = (sections as { sectionRef: string; title: string }[]).map((x) => `${x.sectionRef}: ${x.title}`);
      return items.length ? { text: items.join('; '), items } : { text: 'None' };
    },
  },
};

/** A field's two sides in words. Generic so each side is read as its own field's value (the change holds any field's). */
const fieldChange = <K extends ChangedField>(field: K, before: unknown, after: unknown) => {
  const { label, words } = FIELDS[field];
  return { field, label, before: words(before as ActionView[K]), after: words(after as ActionView[K]) };
};

/** A recommendation's assurance in the words of the plan page: the judgement, by whom and when, and why. */
const assuranceWords = (assurance: Assurance | null): Shown => {
  if (assurance === null) return { text: 'Not recorded yet' };
  const state = assurance.state.replaceAll('-', ' ');
  const judged = assurance.assuredBy ? ` by ${assurance.assuredBy}, ${businessDate(assurance.assuredOn ?? '')}` : '';
  return {
    text: `${state.charAt(0).toUpperCase()}${state.slice(1)}${judged}${assurance.rationale ? `. Why: ${assurance.rationale}` : ''}`,
  };
};

/**
 * What each action was agreed to do, as corrections leave it, from the timeline changesView read at
 * `to`: a board reads "1.3: Mapping services", not a reference alone.
 */
const actionTexts = (timeline: Pick<TimelineState, 'entries' | 'byEvent'>): Map<string, string> => {
  const texts = new Map<string, string>();
  for (const entry of timeline.entries) {
    const text = entry.type === 'ActionAgreed' ? timeline.byEvent.get(entry.eventId)?.data.text : undefined;
    if (entry.about.ref !== null && typeof text === 'string') texts.set(entry.about.ref, text);
  }
  return texts;
};

/**
 * changesView's answer in words a board reads: the actions added, each changed action's fields
 * before and after, the actions removed, the recommendations whose assurance changed, and whether
 * the plan was there at all at `from`, and still at `to`. The entries in between are shown by the
 * history table, apart.
 */
export const changesInWords = (changes: PlanChanges, timeline: Pick<TimelineState, 'entries' | 'byEvent'>) => {
  const texts = actionTexts(timeline);
  return {
    planWasThere: changes.revisionBefore !== null,
    planStillThere: changes.revisionAfter !== null,
    plan: changes.plan.map((f) => ({
      field: f.field,
      label: PLAN_FIELDS[f.field].label,
      before: PLAN_FIELDS[f.field].words(f.before),
      after: PLAN_FIELDS[f.field].words(f.after),
    })),
    added: changes.actions.filter((a) => a.change === 'added').map((a) => ({ ref: a.ref, text: texts.get(a.ref) })),
    removed: changes.actions.filter((a) => a.change === 'removed').map((a) => ({ ref: a.ref, text: texts.get(a.ref) })),
    changed: changes.actions
      .filter((a) => a.change === 'changed')
      .map((a) => ({ ref: a.ref, text: texts.get(a.ref), fields: a.fields.map((f) => fieldChange(f.field, f.before, f.after)) })),
    recommendations: changes.recommendations.map((r) => ({
      ref: r.ref,
      before: assuranceWords(r.assuranceBefore),
      // Gone at `to` (a correction moved it, or the whole plan, past the business date read at).
      after: r.assuranceAfter === null && r.assuranceBefore !== null ? { text: 'No longer in the plan' } : assuranceWords(r.assuranceAfter),
    })),
    nothing:
      changes.plan.length === 0 && changes.actions.length === 0 && changes.recommendations.length === 0 && changes.entries.length === 0,
  };
};
export type ChangesInWords = ReturnType<typeof changesInWords>;
