import type { Due } from '../../events/business-date.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { cellText, paragraphs, type Cell, type Line } from './cells.ts';
import type { Column } from './columns.ts';
import { splitLedBy, type LedBy } from './led-by.ts';
import type { ImportWarning } from './plan-document.ts';
import { NUMBERED_TEXT, type Row } from './table-rows.ts';
import { readRevisionLine, readTimescale } from './timescale.ts';
import { readCellContent, type RawUpdate } from './update-paragraphs.ts';

/** One table row read into what the plan says about one action, before dates are settled. */
export interface RawAction {
  ref: string;
  line: number;
  text: string;
  due: Due;
  revisions: { to: Due; reason: string; line: number }[];
  ledByWording?: string | undefined;
  ledBy: LedBy;
  outcomes: string[];
  updates: (RawUpdate & { column?: string })[];
  completeLine?: number | undefined;
  completeDate?: string | undefined;
  withdrawnLine?: number | undefined;
  /** False when the table has no number column: the caller numbers the row from its recommendation. */
  numbered: boolean;
  rag?: { rating: string; line: number } | undefined;
  recommendation?: { ref: string; text: string; line: number } | undefined;
}

const REVISED_FROM = /^(.+?)\s*\(?\s*(?:revised|amended|changed|moved|extended)\s+from\s+(.+?)\s*\)?$/i;
const REVISED_INLINE = /^(.+?)[\s,;–—-]+((?:revised|amended|extended|moved)\b.+)$/i;

/** The ledger keeps up to 50 outcomes per action; a longer list keeps its tail in the 50th, so nothing is lost. */
const capped = (items: string[], max = 50): string[] =>
  items.length <= max ? items : [...items.slice(0, max - 1), items.slice(max - 1).join('\n')];

const linesOf = (cell: Cell | undefined): Line[] => cell?.lines ?? [];

/** Outcomes are paragraphs, and bulleted lines within them are separate outcomes. */
const readOutcomes = (lines: Line[]): string[] =>
  paragraphs(lines)
    .flatMap((p) => p.text.split(/\n(?=\s*[·•▪●\-*]\s)/))
    .map((t) => t.replace(/^\s*[·•▪●\-*]\s+/, '').trim())
    .filter(Boolean);

/**
 * The timescale cell: the first timescale is the one agreed; a "Revised to …" line
 * is a revision. Two plain dates one under the other (2.1: "June 2015 / March 2016")
 * do not say which: when the action's own text has as many parts as there are dates
 * ("Evaluate the Street Triage Service / Extend Pilot"), they are read as milestones
 * and the last is the due date, wording kept; otherwise the later date is read as a
 * revision. Both readings are reported.
 */
const readTimescaleCell = (lines: Line[], actionParts: number, ref: string, warnings: ImportWarning[]) => {
  const entries = paragraphs(lines)
    .flatMap((p) => p.text.split('\n').map((text, i) => ({ text, line: p.line + i })))
    .flatMap((e) => {
      // "March 2018 (revised from December 2017)" and "October 2015 – revised to March 2018" on one line.
      const from = REVISED_FROM.exec(e.text);
      if (from)
        return [
          { text: from[2]!, line: e.line },
          { text: `Revised to ${from[1]}`, line: e.line },
        ];
      const to = REVISED_INLINE.exec(e.text);
      return to
        ? [
            { text: to[1]!, line: e.line },
            { text: to[2]!, line: e.line },
          ]
        : [e];
    });
  const warn = (line: number, w: { code: string; message: string } | undefined) => {
    if (w) warnings.push({ code: w.code, line, message: `action ${ref}: ${w.message}` });
  };
  if (entries.length === 0) {
    const reading = readTimescale('');
    warn(lines[0]?.n ?? 0, reading.warning);
    return { due: reading.due, revisions: [] };
  }
  const first = readTimescale(entries[0]!.text);
  warn(entries[0]!.line, first.warning);
  const plain = entries.slice(1).filter((e) => readRevisionLine(e.text) === undefined);
  const wording = entries.map((e) => e.text.trim()).join(' / ');
  if (plain.length > 0 && plain.length + 1 === actionParts && entries.every((e) => readRevisionLine(e.text) === undefined)) {
    const last = readTimescale(entries.at(-1)!.text);
    warn(entries.at(-1)!.line, last.warning);
    warnings.push({
      code: 'timescale-milestones',
      line: entries[0]!.line,
      message:
        `action ${ref}: the timescale lists ${entries.length} dates ("${wording}") for the ${actionParts} parts ` +
        `of the action; read as milestones, due at the last, wording kept`,
    });
    return { due: { ...last.due, wording } as Due, revisions: [] };
  }
  const revisions = entries.slice(1).map((e) => {
    const revised = readRevisionLine(e.text);
    const reading = readTimescale(revised ?? e.text);
    warn(e.line, reading.warning);
    if (revised === undefined)
      warnings.push({
        code: 'timescale-second-date',
        line: e.line,
        message:
          `action ${ref}: a second timescale "${e.text.trim()}" follows "${entries[0]!.text.trim()}" without ` +
          `saying it is a revision; read as a revised deadline`,
      });
    return { to: reading.due, reason: `Timescale revised in the plan: "${wording}"`, line: e.line };
  });
  return { due: first.due, revisions };
};

export const readActionRow = (row: Row, columns: Column[], directory: OrganisationDirectory, warnings: ImportWarning[]): RawAction => {
  const cellOf = (role: Column['role']) => row.cells[columns.findIndex((c) => c.role === role)];
  const refCell = cellOf('ref');
  const ref = row.unnumbered || !refCell ? '' : cellText(refCell).replace(/\.$/, '').replace(/\s+/g, '');
  const actionContent = readCellContent(linesOf(cellOf('action')), false, warnings);
  const actionParts = paragraphs(actionContent.body);
  const updates: RawAction['updates'] = [...actionContent.updates];
  let completeLine = actionContent.completeLine;
  let completeDate = actionContent.completeDate;
  let withdrawnLine = actionContent.withdrawnLine;
  let outcomes: string[] = [];
  let rag: RawAction['rag'];
  let recommendation: RawAction['recommendation'];
  columns.forEach((column, i) => {
    const cell = row.cells[i];
    if (!cell || column.role === 'action' || column.role === 'ref' || column.role === 'timescale') return;
    const content = readCellContent(cell.lines, column.role === 'progress', warnings);
    if (completeLine === undefined) completeDate = content.completeDate;
    completeLine ??= content.completeLine;
    withdrawnLine ??= content.withdrawnLine;
    const dated = content.updates.map((u) => ({ ...u, date: u.date ?? column.date, column: column.label }));
    updates.push(...dated);
    const body = content.body
      .map((l) => l.text)
      .join('\n')
      .trim();
    if (column.role === 'outcomes') outcomes = capped(readOutcomes(content.body));
    else if (column.role === 'rag' && body) {
      if (/^complete(d)?$/i.test(body)) completeLine ??= cell.line;
      rag = { rating: body.split('\n')[0]!.trim(), line: cell.line };
    } else if (column.role === 'recommendation' && body) {
      const numbered = NUMBERED_TEXT.exec(body);
      if (numbered) recommendation = { ref: numbered[1]!, text: body.slice(numbered[0].length).trim(), line: cell.line };
      else
        warnings.push({
          code: 'recommendation-unnumbered',
          line: cell.line,
          message: `the recommendation cell has no number, so the action cannot be linked to it: "${body.slice(0, 80)}"`,
        });
    } else if (column.role === 'unknown' && body)
      warnings.push({
        code: 'unknown-column',
        line: cell.line,
        message: `the "${column.label}" column is not imported: "${body.slice(0, 120)}"`,
      });
  });
  const timescale = readTimescaleCell(linesOf(cellOf('timescale')), actionParts.length, ref || 'without a number', warnings);
  const ledByWording = cellText(cellOf('lead') ?? { kind: 'cell', line: 0, lines: [], inTable: true })
    .replace(/\s+/g, ' ')
    .trim();
  const text = actionParts.map((p) => p.text).join('\n\n');
  return {
    ref,
    line: row.line,
    text,
    due: timescale.due,
    revisions: timescale.revisions,
    ledByWording: ledByWording || undefined,
    ledBy: ledByWording ? splitLedBy(ledByWording, directory) : { leads: [], partners: [], aliases: [] },
    outcomes,
    updates,
    completeLine,
    completeDate,
    withdrawnLine,
    numbered: columns.some((c) => c.role === 'ref'),
    rag,
    recommendation,
  };
};
