import type { Due } from '../../events/business-date.ts';
import { paragraphs, type Line } from './cells.ts';
import type { ImportWarning } from './plan-document.ts';
import { readRevisionLine, readTimescale } from './timescale.ts';

const REVISED_FROM = /^(.+?)\s*\(?\s*(?:revised|amended|changed|moved|extended)\s+from\s+(.+?)\s*\)?$/i;
const REVISED_INLINE = /^(.+?)[\s,;–—-]+((?:revised|amended|extended|moved)\b.+)$/i;

/**
 * The agreed timescale: the cell's first line, or where that is already a revision ("Revised to March 2018", the
 * deadline first agreed not given) the revised date, its wording kept so a reader sees it was revised, and a warning
 * that the first deadline is not in the document.
 */
const firstTimescale = (text: string, ref: string, line: number, warnings: ImportWarning[]) => {
  const revised = readRevisionLine(text);
  if (revised === undefined) return readTimescale(text);
  const reading = readTimescale(revised);
  if (reading.due.kind !== 'date') return readTimescale(text);
  warnings.push({
    code: 'timescale-revised-without-original',
    line,
    message:
      `action ${ref}: the timescale "${text.trim()}" gives the revised date but not the one first agreed; ` +
      `recorded as due ${reading.due.date}, wording kept`,
  });
  return { ...reading, due: { ...reading.due, wording: text.trim() } };
};

/**
 * The timescale cell: the first timescale is the one agreed; a "Revised to …" line
 * is a revision. Two plain dates one under the other (2.1: "June 2015 / March 2016")
 * do not say which: when the action's own text has as many parts as there are dates
 * ("Evaluate the Street Triage Service / Extend Pilot"), they are read as milestones
 * and the last is the due date, wording kept; otherwise the later date is read as a
 * revision. Both readings are reported.
 */
export const readTimescaleCell = (lines: Line[], actionParts: number, ref: string, warnings: ImportWarning[]) => {
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
  const first = firstTimescale(entries[0]!.text, ref, entries[0]!.line, warnings);
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
          `action ${ref}: a second timescale "${e.text.trim()}" follows "${entries[0]!.text.trim()}" without saying ` +
          `it is a revision; read as a revised deadline`,
      });
    return { to: reading.due, reason: `Timescale revised in the plan: "${wording}"`, line: e.line };
  });
  return { due: first.due, revisions };
};
