import { stringify } from 'csv-stringify/sync';
import type { Due } from '../../events/business-date.ts';
import { CSV_COLUMNS, type CsvRow } from './csv-columns.ts';
import type { PlanDocument } from './plan-document.ts';

/** A Due as the two CSV columns: the wording a person reads, and the date a machine reads. */
const dueColumns = (due: Due): CsvRow => ({
  timescale: due.wording ?? '',
  due: due.kind === 'date' ? due.date : due.kind,
});

/** Writes a document in the CSV format: the template a trust fills from its spreadsheet, and the export. */
export const toCsv = (doc: PlanDocument): string => {
  const rows: CsvRow[] = [];
  const { plan } = doc;
  rows.push({
    type: 'plan',
    ref: plan.planId,
    text: plan.title,
    leads: plan.owner,
    status: plan.kind,
    date: plan.effectiveOn ?? plan.date,
    note: plan.description ?? '',
  });
  for (const l of plan.ragLegend) rows.push({ type: 'rag-legend', ref: l.rating, text: l.meaning });
  for (const s of doc.sections) rows.push({ type: 'section', ref: s.ref, text: s.title, date: s.effectiveOn ?? '' });
  for (const r of doc.recommendations)
    rows.push({
      type: 'recommendation',
      ref: r.ref,
      text: r.text,
      leads: r.addressedTo.join('; '),
      note: r.source ?? '',
      date: r.effectiveOn ?? '',
      ...(r.due ? dueColumns(r.due) : {}),
    });
  for (const a of doc.actions) {
    const c = a.closure;
    rows.push({
      type: 'action',
      ref: a.ref,
      section: a.sectionRef ?? '',
      text: a.text,
      ...dueColumns(a.due),
      led_by: a.ledByWording ?? '',
      leads: a.leadOrganisations.join('; '),
      partners: a.partnerOrganisations.join('; '),
      outcomes: a.intendedOutcomes.join('\n\n'),
      recommendations: a.recommendationRefs.join('; '),
      links: a.relatedActionRefs.join('; '),
      date: a.effectiveOn ?? '',
      status: c?.kind ?? 'open',
      closed_on: c ? (c.kind === 'completed' ? c.completedOn : (c.effectiveOn ?? '')) : '',
      into: c?.kind === 'subsumed' ? (c.into.kind === 'action' ? `action ${c.into.ref}` : c.into.name) : '',
      note: c ? (c.kind === 'completed' ? (c.summary ?? '') : c.reason) : '',
    });
    for (const r of a.revisions)
      rows.push({ type: 'revision', ref: a.ref, ...dueColumns(r.to), date: r.effectiveOn ?? '', note: r.reason });
  }
  for (const u of doc.updates)
    rows.push({
      type: 'update',
      ref: u.target.ref,
      about: u.target.kind,
      text: u.narrative,
      date: u.effectiveOn ?? '',
      rag: u.reportedRag?.rating ?? '',
    });
  for (const g of doc.glossary) rows.push({ type: 'glossary', ref: g.term, text: g.definition });
  for (const o of doc.organisations) rows.push({ type: 'organisation', text: o.name, note: o.aliases.join('; ') });
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], quoted_string: false });
};

export const toJson = (doc: PlanDocument): string => `${JSON.stringify(doc, null, 2)}\n`;
