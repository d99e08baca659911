import { CsvError, parse } from 'csv-parse/sync';
import type { Due } from '../../events/business-date.ts';
import { CSV_COLUMNS, REQUIRED, ROW_TYPES, splitLines, splitList, type CsvRow, type RowType } from './csv-columns.ts';
import { ImportError } from './import-error.ts';
import { PlanDocument, type DocumentAction, type ImportWarning, type ParsedDocument } from './plan-document.ts';
import { readTimescale } from './timescale.ts';

/**
 * Reads the CSV format into the document model. Every row is checked where it is, so
 * an error names its line; a header missing a column the file's rows need is refused
 * before any row is read.
 */
const dueOf = (row: CsvRow, line: number, warnings: ImportWarning[]): Due => {
  const wording = row.timescale?.trim() || undefined;
  const due = row.due?.trim().toLowerCase();
  if (due === 'ongoing') return { kind: 'ongoing', ...(wording ? { wording } : {}) };
  if (due === 'undated') return { kind: 'undated', wording: wording ?? 'Not stated' };
  if (due) return { kind: 'date', date: row.due!.trim(), ...(wording ? { wording } : {}) };
  const reading = readTimescale(wording ?? '');
  if (reading.warning) warnings.push({ code: reading.warning.code, line, message: reading.warning.message });
  return reading.due;
};

const at = (line: number) => `line ${line}`;
const opt = <K extends string, V>(key: K, value: V | undefined | '') =>
  value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>);

export const parseCsvPlan = (text: string): ParsedDocument => {
  const warnings: ImportWarning[] = [];
  let records: { record: CsvRow; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as typeof records;
  } catch (error) {
    if (error instanceof CsvError)
      throw new ImportError(
        'csv-malformed',
        error.message.replace(/^Invalid [^:]*: /, ''),
        (error as CsvError & { lines?: number }).lines,
        422,
      );
    throw error;
  }
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (!header.includes('type'))
    throw new ImportError('csv-missing-column', 'the header has no "type" column; see docs/import-format.md', 1, 422);
  for (const name of unknown)
    warnings.push({ code: 'csv-unknown-column', line: 1, message: `column "${name}" is not part of the format and was not imported` });

  const doc: Record<string, unknown[]> & { plan?: unknown } = {
    sections: [],
    recommendations: [],
    actions: [],
    updates: [],
    glossary: [],
    organisations: [],
  };
  const legend: { rating: string; meaning: string }[] = [];
  const actions = new Map<string, DocumentAction & { revisions: unknown[] }>();
  const missingChecked = new Set<RowType>();
  for (const { record: row, info } of records) {
    const line = info.lines;
    const type = row.type?.trim().toLowerCase() as RowType;
    if (!ROW_TYPES.includes(type))
      throw new ImportError('csv-unknown-row-type', `row type "${row.type}" is not one of ${ROW_TYPES.join(', ')}`, line, 422);
    if (!missingChecked.has(type)) {
      const missing = REQUIRED[type].filter((c) => !header.includes(c));
      if (missing.length)
        throw new ImportError(
          'csv-missing-column',
          `the header has no ${missing.map((m) => `"${m}"`).join(', ')} column, which ${type} rows need`,
          line,
          422,
        );
      missingChecked.add(type);
    }
    const ref = row.ref?.trim() ?? '';
    const date = row.date?.trim() || undefined;
    switch (type) {
      case 'plan':
        doc.plan = {
          planId: ref,
          title: row.text,
          kind: row.status?.trim() || 'other',
          owner: row.leads?.trim(),
          date,
          ...opt('description', row.note?.trim()),
          location: at(line),
        };
        break;
      case 'section':
        doc.sections!.push({ ref, title: row.text, effectiveOn: date, location: at(line) });
        break;
      case 'recommendation':
        doc.recommendations!.push({
          ref,
          text: row.text,
          addressedTo: splitList(row.leads),
          ...opt('source', row.note?.trim()),
          ...(row.timescale || row.due ? { due: dueOf(row, line, warnings) } : {}),
          effectiveOn: date,
          location: at(line),
        });
        break;
      case 'action': {
        const status = row.status?.trim().toLowerCase() || 'open';
        const closedOn = row.closed_on?.trim() || undefined;
        const closure =
          status === 'completed'
            ? { kind: 'completed', completedOn: closedOn, ...opt('summary', row.note?.trim()), location: at(line) }
            : status === 'subsumed'
              ? {
                  kind: 'subsumed',
                  into: /^action\s+/i.test(row.into ?? '')
                    ? { kind: 'action', ref: row.into!.replace(/^action\s+/i, '').trim() }
                    : { kind: 'programme', name: row.into?.trim() },
                  reason: row.note?.trim(),
                  effectiveOn: closedOn,
                  location: at(line),
                }
              : status === 'withdrawn'
                ? { kind: 'withdrawn', reason: row.note?.trim(), effectiveOn: closedOn, location: at(line) }
                : undefined;
        if (status !== 'open' && !closure)
          throw new ImportError('csv-invalid-row', `status "${row.status}" is not open, completed, subsumed or withdrawn`, line, 422);
        const action = {
          ref,
          ...opt('sectionRef', row.section?.trim()),
          text: row.text,
          recommendationRefs: splitList(row.recommendations),
          leadOrganisations: splitList(row.leads),
          partnerOrganisations: splitList(row.partners),
          ...opt('ledByWording', row.led_by?.trim()),
          intendedOutcomes: splitLines(row.outcomes),
          due: dueOf(row, line, warnings),
          revisions: [],
          relatedActionRefs: splitList(row.links),
          ...(closure ? { closure } : {}),
          effectiveOn: date,
          location: at(line),
        } as unknown as DocumentAction & { revisions: unknown[] };
        actions.set(ref, action);
        doc.actions!.push(action);
        break;
      }
      case 'revision': {
        const action = actions.get(ref);
        if (!action)
          throw new ImportError('csv-invalid-row', `a revision of action ${ref}, which no earlier action row defines`, line, 422);
        action.revisions.push({
          to: dueOf(row, line, warnings),
          reason: row.note?.trim() || 'Timescale revised',
          effectiveOn: date,
          location: at(line),
        });
        break;
      }
      case 'update': {
        const about = row.about?.trim().toLowerCase() || 'action';
        if (!date)
          warnings.push({
            code: 'update-undated',
            line,
            message:
              `the update on ${about} ${ref} has no date; ` +
              "recorded as effective on the plan row's date, or on its action's if that is later",
          });
        doc.updates!.push({
          target: { kind: about, ref },
          narrative: row.text,
          effectiveOn: date,
          ...(row.rag?.trim()
            ? { reportedRag: { rating: row.rag.trim(), ...opt('meaning', legend.find((l) => l.rating === row.rag!.trim())?.meaning) } }
            : {}),
          location: at(line),
        });
        break;
      }
      case 'glossary':
        doc.glossary!.push({ term: ref, definition: row.text, location: at(line) });
        break;
      case 'organisation':
        doc.organisations!.push({ name: row.text?.trim(), aliases: splitList(row.note) });
        break;
      case 'rag-legend':
        legend.push({ rating: ref, meaning: row.text?.trim() ?? '' });
        break;
    }
  }
  if (!doc.plan)
    throw new ImportError('csv-no-plan-row', 'the file has no plan row (type "plan") naming the plan, its owner and its date', 2, 422);
  (doc.plan as Record<string, unknown>).ragLegend = legend;
  return { document: validate(doc), warnings };
};

/** Checks the assembled document and names the line of the first row that breaks the format. */
export const validate = (doc: unknown): PlanDocument => {
  const parsed = PlanDocument.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  let node: unknown = doc;
  let line: number | undefined;
  for (const key of issue.path) {
    node = (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
    const location = (node as { location?: unknown } | undefined)?.location;
    if (typeof location === 'string' && /^line \d+$/.test(location)) line = Number(location.slice(5));
  }
  throw new ImportError('document-invalid', `${issue.path.join('.')}: ${issue.message}`, line, 422);
};
