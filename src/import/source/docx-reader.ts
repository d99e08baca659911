import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ImportError } from '../import-error.ts';
import { readNumbering, type Numbering } from './docx-numbering.ts';
import type { OfficePackage } from './office-package.ts';
import type { SourceBlock, SourceCell, SourceDocument, SourceParagraph, SourceRow } from './source-document.ts';

/**
 * Reads word/document.xml into paragraphs and tables, in document order, with saxes (a
 * streaming XML parser exceljs already depends on: a 5,000-action plan is never held as a
 * DOM). Reading the XML itself, rather than converting to HTML first, keeps what a plan's
 * layout depends on: cells merged across columns (gridSpan) and down rows (vMerge), rows
 * that skip grid columns, heading styles, and Word's automatic list numbers. Deleted text
 * of tracked changes, field codes and the fallback copies of drawings are left out, as
 * Word leaves them out of the page.
 */
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

/** Subtrees whose text a reader of the page does not see. */
const HIDDEN = new Set(['delText', 'instrText', 'delInstrText', 'moveFrom', 'txbxContent']);

const attr = (tag: SaxesTagNS, local: string) => Object.values(tag.attributes).find((a) => a.local === local)?.value;

interface OpenParagraph {
  text: string;
  style?: string | undefined;
  numId?: string | undefined;
  level: number;
  outline: boolean;
}
interface OpenCell {
  paragraphs: SourceParagraph[];
  span: number;
  vMerge?: 'restart' | 'continue' | undefined;
  column: number;
  index: number;
}
interface OpenRow {
  cells: SourceCell[];
  gridBefore: number;
  nextColumn: number;
  index: number;
}
interface OpenTable {
  rows: SourceRow[];
  index: number;
}

/** Style ids whose names say heading or title ("Heading1", "Title"; a translated Word names them in styles.xml). */
const headingStyles = (stylesXml: string | undefined): Set<string> => {
  const ids = new Set<string>();
  if (!stylesXml) return ids;
  const parser = new SaxesParser({ xmlns: true, position: false });
  let styleId: string | undefined;
  parser.on('opentag', (tag) => {
    if (tag.uri !== W) return;
    if (tag.local === 'style') styleId = attr(tag, 'styleId');
    else if (
      styleId &&
      ((tag.local === 'name' && /^(?:heading \d|title|subtitle)$/i.test(attr(tag, 'val') ?? '')) || tag.local === 'outlineLvl')
    )
      ids.add(styleId);
  });
  parser.write(stylesXml).close();
  return ids;
};

export const readDocx = (pkg: OfficePackage, fileName: string): SourceDocument => {
  const xml = pkg.part('word/document.xml');
  if (!xml)
    throw new ImportError('damaged-file', `"${fileName}" has no word/document.xml: it is not a complete Word document`, undefined, 422);
  const numbering: Numbering = readNumbering(pkg.part('word/numbering.xml'));
  const headings = headingStyles(pkg.part('word/styles.xml'));
  const blocks: SourceBlock[] = [];
  const tables: OpenTable[] = [];
  let tableCount = 0;
  let bodyParagraphs = 0;
  let row: OpenRow | undefined;
  let cell: OpenCell | undefined;
  let paragraph: OpenParagraph | undefined;
  let inText = false;
  let hidden = 0;
  let fallback = 0;
  /** Tables inside a cell: their paragraphs are more paragraphs of the cell. */
  let nested = 0;
  /** Inside w:tabs, a w:tab is a tab stop's definition, not a tab in the text. */
  let tabStops = 0;

  const cellPlace = (c: OpenCell) => `table ${tables[0]!.index}, row ${row!.index}, cell ${c.index}`;
  const closeParagraph = () => {
    const p = paragraph!;
    paragraph = undefined;
    const label = p.numId !== undefined ? numbering.next(p.numId, p.level) : undefined;
    const text = `${label && label !== '•' ? `${label} ` : label === '•' ? '• ' : ''}${p.text}`.replace(/[ \t]+$/gm, '');
    const heading = p.outline || (p.style !== undefined && (headings.has(p.style) || /^(?:heading\d|title|subtitle)$/i.test(p.style)));
    if (cell) {
      cell.paragraphs.push({ text, place: `${cellPlace(cell)}, paragraph ${cell.paragraphs.length + 1}` });
      return;
    }
    bodyParagraphs++;
    if (tables.length === 0 && text.trim() !== '')
      blocks.push({ kind: 'paragraph', paragraph: { text, place: `paragraph ${bodyParagraphs}`, ...(heading ? { heading } : {}) } });
  };

  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('opentag', (tag) => {
    if (tag.uri === MC && tag.local === 'Fallback') fallback++;
    if (fallback > 0 || (tag.uri === W && HIDDEN.has(tag.local) && ++hidden)) return;
    if (hidden > 0 || tag.uri !== W) return;
    switch (tag.local) {
      case 'tbl':
        // A table inside a cell is read as more paragraphs of that cell.
        if (cell) nested++;
        else tables.unshift({ rows: [], index: ++tableCount });
        return;
      case 'tabs':
        tabStops++;
        return;
      case 'tr':
        if (tables.length === 1 && !cell) row = { cells: [], gridBefore: 0, nextColumn: 0, index: tables[0]!.rows.length + 1 };
        return;
      case 'gridBefore':
        if (row && !cell && nested === 0) row.nextColumn = row.gridBefore = Number(attr(tag, 'val') ?? 0);
        return;
      case 'tc':
        if (row && !cell && nested === 0) cell = { paragraphs: [], span: 1, column: row.nextColumn, index: row.cells.length + 1 };
        return;
      case 'gridSpan':
        if (cell && !paragraph && nested === 0) cell.span = Math.max(1, Number(attr(tag, 'val') ?? 1));
        return;
      case 'vMerge':
        if (cell && !paragraph && nested === 0) cell.vMerge = attr(tag, 'val') === 'restart' ? 'restart' : 'continue';
        return;
      case 'p':
        paragraph ??= { text: '', level: 0, outline: false };
        return;
      case 'pStyle':
        if (paragraph) paragraph.style = attr(tag, 'val');
        return;
      case 'outlineLvl':
        if (paragraph) paragraph.outline = true;
        return;
      case 'ilvl':
        if (paragraph) paragraph.level = Number(attr(tag, 'val') ?? 0);
        return;
      case 'numId':
        if (paragraph && attr(tag, 'val') !== '0') paragraph.numId = attr(tag, 'val');
        return;
      case 't':
        inText = true;
        return;
      case 'tab':
        if (paragraph && tabStops === 0) paragraph.text += ' ';
        return;
      case 'br':
      case 'cr':
        if (paragraph && attr(tag, 'type') !== 'page') paragraph.text += '\n';
        return;
      case 'noBreakHyphen':
        if (paragraph) paragraph.text += '-';
        return;
    }
  });
  parser.on('text', (text) => {
    if (inText && paragraph && hidden === 0 && fallback === 0) paragraph.text += text;
  });
  parser.on('closetag', (tag) => {
    if (tag.uri === MC && tag.local === 'Fallback') fallback--;
    if (tag.uri === W && HIDDEN.has(tag.local) && fallback === 0) {
      hidden = Math.max(0, hidden - 1);
      return;
    }
    if (hidden > 0 || fallback > 0 || tag.uri !== W) return;
    switch (tag.local) {
      case 't':
        inText = false;
        return;
      case 'tabs':
        tabStops--;
        return;
      case 'p':
        if (paragraph) closeParagraph();
        return;
      case 'tc':
        if (!cell || !row || nested > 0) return;
        // A cell of one paragraph is named by the cell alone; "paragraph n" only tells paragraphs of one cell apart.
        if (cell.paragraphs.length === 1) cell.paragraphs[0]!.place = cellPlace(cell);
        row.cells.push({
          paragraphs: cell.paragraphs,
          place: cellPlace(cell),
          column: cell.column,
          span: cell.span,
          mergedFromAbove: cell.vMerge === 'continue',
        });
        row.nextColumn += cell.span;
        cell = undefined;
        return;
      case 'tr':
        if (row && !cell && nested === 0 && tables.length === 1) {
          tables[0]!.rows.push({ cells: row.cells, place: `table ${tables[0]!.index}, row ${row.index}` });
          row = undefined;
        }
        return;
      case 'tbl':
        if (nested > 0) {
          nested--;
          return;
        }
        {
          const table = tables.shift()!;
          if (tables.length === 0) blocks.push({ kind: 'table', rows: table.rows, place: `table ${table.index}` });
        }
        return;
    }
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    throw new ImportError(
      'damaged-file',
      `"${fileName}": word/document.xml is not well-formed XML (${(error as Error).message})`,
      undefined,
      422,
    );
  }
  return { format: 'docx', blocks };
};
