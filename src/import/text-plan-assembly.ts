import { earlier } from './dates.ts';
import { PlanDocument, type ImportWarning, type ParsedDocument } from './plan-document.ts';
import { closureOf, linksOf } from './row-facts.ts';
import type { RawPlan, TextPlanOptions } from './text-plan-input.ts';
import type { RawUpdate } from './update-paragraphs.ts';
import { mayBeADay } from './two-digit-year.ts';
import { ownDate, settleUpdates } from './update-dates.ts';
import { invalidDocument, settleDocumentDate } from './document-settling.ts';

export const slug = (name: string): string =>
  name
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100) || 'imported-plan';

const humanise = (fileName: string) => {
  const words = slug(fileName).replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Numberless rows take the number of the row above with a letter ("3.1(b)"); repeated numbers get one too. */
const nameRows = <T extends { ref: string; line: number }>(
  rows: T[],
  what: string,
  fallback: (i: number) => string,
  warnings: ImportWarning[],
) => {
  const taken = new Set<string>();
  let previous: string | undefined;
  const first = rows[0]?.ref;
  rows.forEach((row, i) => {
    const base = row.ref || (previous ?? fallback(i));
    let ref = row.ref && !taken.has(row.ref) ? row.ref : '';
    for (let n = 1; ref === ''; n++)
      if (!taken.has(`${base}(${String.fromCharCode(97 + n)})`)) ref = `${base}(${String.fromCharCode(97 + n)})`;
    if (ref !== row.ref)
      warnings.push({
        code: row.ref ? 'duplicate-number' : 'row-without-number',
        line: row.line,
        message: row.ref
          ? `${what} ${row.ref} appears twice; this one is imported as ${ref}` +
            // The first number again: the numbering starts over, as a second plan's (or another version's) table does.
            (row.ref === first
              ? ` — the numbering starts again here: if the file holds a second plan, or another version of this one, ` +
                `import each table as a file of its own`
              : '')
          : `${what === 'action' ? 'an' : 'a'} ${what} row without a number${previous ? ` follows ${previous}` : ''}; ` +
            `imported as ${what} ${ref} with its own timescale, leads and status — renumber it if the plan numbers ` +
            `it otherwise`,
      });
    row.ref = ref;
    taken.add(ref);
    if (row.ref === ref && !/\(/.test(ref)) previous = ref;
  });
};

export const assembleDocument = (raw: RawPlan, options: TextPlanOptions, warnings: ImportWarning[]): ParsedDocument => {
  const at = (line: number) => raw.place(line);
  nameRows(raw.actions, 'action', (i) => String(i + 1), warnings);
  nameRows(raw.recommendations, 'recommendation', (i) => `R${i + 1}`, warnings);
  const dated = [...raw.actions, ...raw.recommendations].flatMap((r) => r.updates.filter((u) => u.date !== undefined));
  // Not by an update opening "Dec 24", which may be 24 December, while one dated beyond doubt is there (two-digit-year.ts).
  const sure = dated.filter((u) => !mayBeADay(u.written));
  const allDates = (sure.length > 0 ? sure : dated).map((u) => u.date!);
  // The document's date: the one it states, else its latest dated update (document-settling.ts). The plan, its
  // sections and actions are known from the earliest date the document shows, as they existed before any update; a
  // COMPLETE marker and a revised timescale are known as of the document's date; updates, by update-dates.ts.
  const documentDate = settleDocumentDate(raw.documentDate, allDates, options.effectiveOn, warnings);
  // Not a two-digit year that may be a day ("June 12" in a plan of 2017): it would date the whole plan from 2012.
  const baseline = [...raw.actions, ...raw.recommendations]
    .flatMap((r) => r.updates.flatMap((u) => ownDate(u, documentDate) ?? []))
    .reduce(earlier, documentDate);
  const refs = new Set(raw.actions.map((a) => a.ref));
  const recommendations = raw.recommendations.map((r) => ({
    ref: r.ref,
    text: r.text || `Recommendation ${r.ref} (the document gives no wording)`,
    addressedTo: r.addressedTo,
    ...(r.due ? { due: r.due } : {}),
    effectiveOn: baseline,
    location: at(r.line),
  }));
  const updates: PlanDocument['updates'] = [];
  const rag = (rating: string) => ({
    rating,
    ...(raw.ragLegend.find((l) => l.rating.toLowerCase() === rating.toLowerCase())
      ? { meaning: raw.ragLegend.find((l) => l.rating.toLowerCase() === rating.toLowerCase())!.meaning }
      : {}),
  });
  const pushUpdates = (
    kind: 'action' | 'recommendation',
    ref: string,
    raws: (RawUpdate & { rating?: string })[],
    reported: { rating: string; line: number } | undefined,
  ) => {
    const settled = settleUpdates(raws, documentDate, `${kind} ${ref}`, warnings);
    if (reported && settled.length === 0)
      settled.push({ line: reported.line, date: documentDate, narrative: `RAG status reported in the plan: ${reported.rating}` });
    // A rating with its own date (a RAG column per period) stays on its own update; the rating now, on the last.
    const ratingOf = (u: (typeof settled)[number], i: number) =>
      u.rating ?? (reported && i === settled.length - 1 ? reported.rating : undefined);
    settled.forEach((u, i) =>
      updates.push({
        target: { kind, ref },
        narrative: u.narrative,
        effectiveOn: u.date,
        ...(ratingOf(u, i) ? { reportedRag: rag(ratingOf(u, i)!) } : {}),
        location: at(u.line),
      }),
    );
    return settled;
  };
  for (const r of raw.recommendations) pushUpdates('recommendation', r.ref, r.updates, r.rag);

  const actions = raw.actions.map((a) => {
    const settled = pushUpdates('action', a.ref, a.updates, a.rag);
    if (a.recommendation && !recommendations.some((r) => r.ref === a.recommendation!.ref))
      recommendations.push({
        ref: a.recommendation.ref,
        text: a.recommendation.text || `Recommendation ${a.recommendation.ref}`,
        addressedTo: [],
        effectiveOn: baseline,
        location: at(a.recommendation.line),
      });
    let leads = a.ledBy.leads;
    if (leads.length === 0) {
      leads = a.ledBy.partners.length ? a.ledBy.partners : ['Not stated in the plan'];
      warnings.push({
        code: 'no-lead',
        line: a.line,
        message: `action ${a.ref} names no lead organisation; recorded as led by ${leads.join(', ')}`,
      });
    }
    if (!a.text) warnings.push({ code: 'no-action-text', line: a.line, message: `action ${a.ref} has no wording in the plan` });
    const closure = closureOf(a, settled, documentDate, raw, warnings);
    if (closure?.location) closure.location = at(Number(closure.location.slice(5)));
    return {
      ref: a.ref,
      ...(a.sectionRef ? { sectionRef: a.sectionRef } : {}),
      text: a.text || `Action ${a.ref} (the plan gives no wording)`,
      recommendationRefs: a.recommendation ? [a.recommendation.ref] : [],
      leadOrganisations: leads,
      partnerOrganisations: leads === a.ledBy.leads ? a.ledBy.partners : [],
      ...(a.ledByWording ? { ledByWording: a.ledByWording.slice(0, 2000) } : {}),
      intendedOutcomes: a.outcomes,
      due: a.due,
      revisions: a.revisions.map((r) => ({ to: r.to, reason: r.reason, effectiveOn: documentDate, location: at(r.line) })),
      relatedActionRefs: linksOf(a, settled, refs, warnings),
      ...(closure ? { closure } : {}),
      effectiveOn: baseline,
      location: at(a.line),
    };
  });
  const organisations = new Map<string, Set<string>>();
  const add = (name: string, aliases: string[]) => {
    const canonical = options.directory.canonical(name);
    const known = organisations.get(canonical) ?? new Set<string>();
    for (const alias of [name, ...aliases]) if (alias !== canonical) known.add(alias);
    organisations.set(canonical, known);
  };
  for (const a of raw.actions) for (const pair of a.ledBy.aliases) add(pair.name, [pair.alias]);
  for (const name of raw.glossary.organisations) add(name, []);

  const input = {
    plan: {
      planId: options.planId ?? slug(options.fileName),
      title: (options.title ?? raw.title ?? humanise(options.fileName)).slice(0, 500),
      kind:
        options.kind ??
        (/concordat/i.test(raw.raw) ? 'crisis-care-concordat' : recommendations.length > 0 ? 'investigation-action-plan' : 'other'),
      owner: options.owner ?? 'Not stated in the document',
      ragLegend: raw.ragLegend,
      date: documentDate,
      effectiveOn: baseline,
      // The plan is the whole document; its provenance points at where it begins.
      location: at(
        raw.planLines.length > 0 ? Math.min(...raw.planLines) : Math.max(1, raw.raw.split('\n').findIndex((l) => l.trim() !== '') + 1),
      ),
    },
    sections: raw.sections.map((s) => ({ ref: s.ref, title: s.title, effectiveOn: baseline, location: at(s.line) })),
    recommendations,
    actions,
    updates,
    glossary: raw.glossary.entries.map((g) => ({ term: g.term, definition: g.definition, location: at(g.line) })),
    organisations: [...organisations].map(([name, aliases]) => ({ name, aliases: [...aliases] })),
  };
  const parsed = PlanDocument.safeParse(input);
  if (!options.owner)
    warnings.push({
      code: 'owner-not-stated',
      message: 'the document does not name the plan\'s owner; recorded as "Not stated in the document" (pass --owner to name it)',
    });
  if (!parsed.success) throw invalidDocument(parsed.error, input);
  return {
    document: parsed.data,
    warnings,
    sources: {
      plan: raw.planLines.map(at),
      actions: new Map(raw.actions.map((a) => [a.ref, a.sourceLines.map(at)])),
      headers: raw.tables.flatMap((t) =>
        t.columns.flatMap((c, i) =>
          t.headerLines[i] === undefined ? [] : [{ place: at(t.headerLines[i]!), label: c.label, role: c.role }],
        ),
      ),
    },
  };
};
