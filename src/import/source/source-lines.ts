import type { Cell, Line } from '../cells.ts';
import type { SourceParagraph } from './source-document.ts';

/**
 * The plan readers work on numbered lines, as a text export has them. A Word document's
 * or workbook's paragraphs are given numbers here, one per line of text, each remembering
 * its place in the original ("table 2, row 3, cell 4, paragraph 2"), so a warning or a
 * fact that names line n can name that place instead.
 */
export class SourceLines {
  private readonly places: string[] = [''];
  private readonly texts: string[] = [];

  /** A cell of numbered lines: one paragraph after another, with a blank line between paragraphs as a text export has. */
  cell(paragraphs: SourceParagraph[], inTable: boolean): Cell {
    const lines: Line[] = [];
    for (const paragraph of paragraphs) {
      if (lines.length > 0) lines.push({ n: lines.at(-1)!.n, text: '' });
      for (const text of paragraph.text.split('\n')) {
        this.places.push(paragraph.place);
        lines.push({ n: this.places.length - 1, text });
      }
      this.texts.push(paragraph.text);
    }
    return { kind: 'cell', line: lines[0]?.n ?? 0, lines, inTable };
  }

  /** Where line n is in the original. */
  place = (n: number): string => this.places[n] ?? `line ${n}`;

  /** The cell a line is in: its place without the paragraph or line within the cell. */
  cellPlace = (n: number): string => this.place(n).replace(/, (?:paragraph|line) \d+$/, '');

  text(): string {
    return this.texts.join('\n');
  }
}
