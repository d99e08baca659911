import type { Due } from '../../events/business-date.ts';
import type { BatchCommand } from '../commands/command-requests.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import type { DocumentSources, PlanDocument } from './plan-document.ts';

/**
 * The row-by-row preview of an import: each fact the document becomes, where it came from
 * (the line, or the table, row and cell), and what it says — kind, ref, an excerpt, lead,
 * due date, status, the date it takes effect — and whether this import would record it or
 * the ledger already holds it. Header cells are listed too, with the column each was
 * read as, since a misread header is what shifts a plan. A plain data structure: the CLI
 * prints it as a table, POST /imports returns it as JSON, and a page can render it.
 */
export interface PreviewRow {
  /** Where the fact begins in the original. */
  source: string;
  /** Every cell it was read from. */
  cells: string[];
  fact:
    | 'plan'
    | 'column'
    | 'section'
    | 'recommendation'
    | 'action'
    | 'lead change'
    | 'revision'
    | 'update'
    | 'completion'
    | 'subsumption'
    | 'withdrawal';
  ref?: string | undefined;
  text?: string | undefined;
  lead?: string | undefined;
  due?: string | undefined;
  status?: string | undefined;
  effectiveOn?: string | undefined;
  /** new: this import records it; held: the ledger already has it; read: a header, read but not a fact of its own. */
  record: 'new' | 'held' | 'read';
}

const excerpt = (text: string | undefined, max = 80) => {
  if (text === undefined) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
/** The cell a place is in: "table 1, row 3, cell 2, paragraph 2" → "table 1, row 3, cell 2". */
export const cellOf = (place: string) => place.replace(/, (?:paragraph|line) \d+$/, '');
const dueText = (due: Due | undefined) =>
  due === undefined ? undefined : due.kind === 'date' ? `${due.date}${due.wording ? ` (${due.wording})` : ''}` : (due.wording ?? due.kind);

const recordedNarrative = (command: PlanCommand | undefined) =>
  command?.type === 'RecordProgressUpdate' ? command.data.narrative : undefined;

const key = (type: string, ref: string | undefined, location: string | undefined) => `${type}|${ref ?? ''}|${location ?? ''}`;

export const buildPreview = (document: PlanDocument, sources: DocumentSources | undefined, items: BatchCommand[]): PreviewRow[] => {
  const recorded = new Map(
    items.map((item) => {
      const { command, provenance } = item;
      const data = command.data as { ref?: string; sectionRef?: string; planId?: string; target?: { ref: string } };
      const location = provenance.source === 'import' ? provenance.location : undefined;
      return [key(command.type, data.ref ?? data.sectionRef ?? data.target?.ref ?? data.planId, location), item] as const;
    }),
  );
  const record = (type: string, ref: string | undefined, location: string | undefined): PreviewRow['record'] =>
    recorded.has(key(type, ref, location)) ? 'new' : 'held';
  /** What the import records, where it is not the document's own words: a new rating over held progress text, a change of leads. */
  const command = (type: string, ref: string, location: string | undefined) => recorded.get(key(type, ref, location))?.command;
  const where = (location: string | undefined, extra: string[] = []) => {
    const source = location ?? 'the document';
    return { source, cells: [...new Set([...(location ? [cellOf(location)] : []), ...extra.map(cellOf)])] };
  };
  const { plan } = document;
  const rows: PreviewRow[] = [
    {
      ...where(plan.location, sources?.plan),
      fact: 'plan',
      ref: plan.planId,
      text: excerpt(plan.title),
      lead: plan.owner,
      effectiveOn: plan.effectiveOn ?? plan.date,
      status: plan.ragLegend.length ? `legend: ${plan.ragLegend.map((l) => `${l.rating} = ${l.meaning}`).join('; ')}` : undefined,
      record: record('RegisterPlan', plan.planId, plan.location),
    },
  ];
  for (const header of sources?.headers ?? [])
    rows.push({
      ...where(header.place),
      fact: 'column',
      text: `"${header.label}" read as ${header.role === 'unknown' ? 'an unknown column' : header.role}`,
      record: 'read',
    });
  for (const s of document.sections)
    rows.push({
      ...where(s.location),
      fact: 'section',
      ref: s.ref,
      text: excerpt(s.title),
      effectiveOn: s.effectiveOn ?? plan.date,
      record: record('AddSection', s.ref, s.location),
    });
  for (const r of document.recommendations)
    rows.push({
      ...where(r.location),
      fact: 'recommendation',
      ref: r.ref,
      text: excerpt(r.text),
      lead: r.addressedTo.join(', ') || undefined,
      due: dueText(r.due),
      effectiveOn: r.effectiveOn ?? plan.date,
      record: record('RecordRecommendation', r.ref, r.location),
    });
  // Grouped once: a plan of 10,000 actions with 50,000 updates must not scan every update for every action.
  const byTarget = new Map<string, PlanDocument['updates']>();
  for (const u of document.updates) {
    const k = `${u.target.kind}|${u.target.ref}`;
    const list = byTarget.get(k);
    if (list) list.push(u);
    else byTarget.set(k, [u]);
  }
  const updatesOf = (kind: string, ref: string) => byTarget.get(`${kind}|${ref}`) ?? [];
  const updateRow = (u: PlanDocument['updates'][number]): PreviewRow => ({
    ...where(u.location),
    fact: 'update',
    ref: u.target.ref,
    text: excerpt(recordedNarrative(command('RecordProgressUpdate', u.target.ref, u.location)) ?? u.narrative),
    status: u.reportedRag ? `reported ${u.reportedRag.rating}${u.reportedRag.meaning ? ` (${u.reportedRag.meaning})` : ''}` : undefined,
    effectiveOn: u.effectiveOn ?? plan.date,
    record: record('RecordProgressUpdate', u.target.ref, u.location),
  });
  for (const r of document.recommendations) rows.push(...updatesOf('recommendation', r.ref).map(updateRow));
  for (const a of document.actions) {
    const closure = a.closure;
    rows.push({
      ...where(a.location, sources?.actions.get(a.ref)),
      fact: 'action',
      ref: a.ref,
      text: excerpt(a.text),
      lead: a.leadOrganisations.join(', '),
      due: dueText(a.due),
      status: closure ? closure.kind : 'open',
      effectiveOn: a.effectiveOn ?? plan.date,
      record: record('AgreeAction', a.ref, a.location),
    });
    const leadChange = recorded.get(key('ChangeActionLead', a.ref, a.location));
    const leads = leadChange?.command;
    if (leads?.type === 'ChangeActionLead')
      rows.push({
        ...where(a.location),
        fact: 'lead change',
        ref: a.ref,
        text: leads.data.partnersTo?.length ? `with ${leads.data.partnersTo.join(', ')}` : 'no partners',
        lead: leads.data.to.join(', '),
        effectiveOn: leadChange?.effectiveOn,
        record: 'new',
      });
    for (const r of a.revisions)
      rows.push({
        ...where(r.location),
        fact: 'revision',
        ref: a.ref,
        text: excerpt(r.reason),
        due: dueText(r.to),
        effectiveOn: r.effectiveOn ?? plan.date,
        record: record('ReviseDeadline', a.ref, r.location),
      });
    rows.push(...updatesOf('action', a.ref).map(updateRow));
    if (!closure) continue;
    const [fact, type, text, effectiveOn] =
      closure.kind === 'completed'
        ? (['completion', 'CompleteAction', closure.summary, closure.completedOn] as const)
        : closure.kind === 'subsumed'
          ? ([
              'subsumption',
              'SubsumeAction',
              `into ${closure.into.kind === 'action' ? `action ${closure.into.ref}` : closure.into.name}: ${closure.reason}`,
              closure.effectiveOn,
            ] as const)
          : (['withdrawal', 'WithdrawAction', closure.reason, closure.effectiveOn] as const);
    rows.push({
      ...where(closure.location),
      fact,
      ref: a.ref,
      text: excerpt(text),
      status: closure.kind,
      effectiveOn: effectiveOn ?? plan.date,
      record: record(type, a.ref, closure.location),
    });
  }
  return rows;
};
