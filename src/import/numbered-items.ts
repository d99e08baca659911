import type { Cell, Line } from './cells.ts';
import type { Column } from './columns.ts';
import type { Row } from './table-rows.ts';

/**
 * Numbered items in one cell ("1. Audit crisis plans  2. Train staff") are separate
 * actions. A row whose action cell is such a list becomes one row per item; a sibling
 * cell numbered the same way (the dates "1. March 2016  2. June 2016", the progress
 * "1. Complete  2. In progress") is split alongside it, item by item, and a sibling that
 * is not (one lead for all) is shared by every item.
 */
const ITEM = /^\s*\(?(\d{1,2}|[a-z])[.)]\s+(?=\S)/i;

const itemNumber = (label: string, letters: boolean) => (letters ? label.toLowerCase().charCodeAt(0) - 96 : Number(label));

/** The items of a cell numbered 1, 2, … (or a, b, …) in order from its first line, or undefined. */
export const numberedItems = (cell: Cell | undefined): Line[][] | undefined => {
  if (!cell) return undefined;
  const lines = cell.lines.filter((l) => l.text.trim() !== '');
  const first = lines[0] && ITEM.exec(lines[0].text);
  if (!first || !/^(?:1|a)$/i.test(first[1]!)) return undefined;
  const letters = /[a-z]/i.test(first[1]!);
  const items: Line[][] = [];
  for (const line of cell.lines) {
    const m = ITEM.exec(line.text);
    if (m && /[a-z]/i.test(m[1]!) === letters && itemNumber(m[1]!, letters) === items.length + 1)
      items.push([{ n: line.n, text: line.text.slice(m[0].length) }]);
    else items.at(-1)!.push(line);
  }
  return items.length >= 2 ? items : undefined;
};

const itemCell = (cell: Cell, lines: Line[]): Cell => ({ ...cell, line: lines[0]!.n, lines });

/** One row per numbered item of the action cell; a row without such a list is returned as it is. */
export const splitNumberedItems = (row: Row, columns: Column[]): (Row & { item?: number; sharedRef?: boolean })[] => {
  const actionAt = columns.findIndex((c) => c.role === 'action');
  const items = actionAt >= 0 ? numberedItems(row.cells[actionAt]) : undefined;
  if (!items) return [row];
  const refAt = columns.findIndex((c) => c.role === 'ref');
  const siblings = row.cells.map((cell, c) => (c === actionAt ? items : numberedItems(cell)));
  return items.map((_, k) => {
    const cells = row.cells.map((cell, c) => {
      const own = siblings[c];
      return cell && own && own.length === items.length ? itemCell(cell, own[k]!) : cell;
    });
    return {
      ...row,
      cells,
      line: items[k]![0]!.n,
      item: k + 1,
      // The row's number is the list's ("3" → 3.1, 3.2) unless the number cell is itself a list.
      sharedRef: refAt < 0 || cells[refAt] === row.cells[refAt],
      continuation: k === items.length - 1 ? row.continuation : undefined,
    };
  });
};
