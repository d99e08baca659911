import { SaxesParser } from 'saxes';

/**
 * Word's automatic numbering. A numbered list ("1. Audit crisis plans", "2. Train staff")
 * stores no numbers in the text: each paragraph names a list (numId) and a level, and
 * word/numbering.xml says how that level is written ("%1.", decimal, starting at 1). The
 * importer needs the numbers a reader sees, because plans number actions and the items
 * of one cell that way; so they are counted here as Word counts them.
 */
interface Level {
  format: string;
  text: string;
  start: number;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface Numbering {
  /** The label Word shows for the next paragraph of this list at this level ("2.", "b)", "•"), or undefined. */
  next(numId: string, level: number): string | undefined;
}

const roman = (n: number): string => {
  const table: [number, string][] = [
    [1000, 'm'],
    [900, 'cm'],
    [500, 'd'],
    [400, 'cd'],
    [100, 'c'],
    [90, 'xc'],
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let out = '';
  for (const [value, letters] of table) for (; n >= value; n -= value) out += letters;
  return out;
};

const formatNumber = (format: string, n: number): string | undefined => {
  switch (format) {
    case 'decimal':
    case 'decimalZero':
      return format === 'decimalZero' && n < 10 ? `0${n}` : String(n);
    case 'lowerLetter':
      return String.fromCharCode(96 + (((n - 1) % 26) + 1));
    case 'upperLetter':
      return String.fromCharCode(64 + (((n - 1) % 26) + 1));
    case 'lowerRoman':
      return roman(n);
    case 'upperRoman':
      return roman(n).toUpperCase();
    default:
      return undefined;
  }
};

export const readNumbering = (xml: string | undefined): Numbering => {
  const abstract = new Map<string, Map<number, Level>>();
  const numToAbstract = new Map<string, string>();
  if (xml) {
    const parser = new SaxesParser({ xmlns: true, position: false });
    let currentAbstract: Map<number, Level> | undefined;
    let currentLevel: Level | undefined;
    let currentNum: string | undefined;
    const attr = (tag: { attributes: Record<string, { uri: string; local: string; value: string }> }, name: string) =>
      Object.values(tag.attributes).find((a) => a.local === name && (a.uri === W || a.uri === ''))?.value;
    parser.on('opentag', (tag) => {
      if (tag.uri !== W) return;
      const a = (name: string) => attr(tag, name);
      if (tag.local === 'abstractNum') abstract.set(a('abstractNumId') ?? '', (currentAbstract = new Map()));
      else if (tag.local === 'lvl' && currentAbstract)
        currentAbstract.set(Number(a('ilvl') ?? 0), (currentLevel = { format: 'decimal', text: '', start: 1 }));
      else if (tag.local === 'numFmt' && currentLevel) currentLevel.format = a('val') ?? 'decimal';
      else if (tag.local === 'lvlText' && currentLevel) currentLevel.text = a('val') ?? '';
      else if (tag.local === 'start' && currentLevel) currentLevel.start = Number(a('val') ?? 1);
      else if (tag.local === 'num') currentNum = a('numId');
      else if (tag.local === 'abstractNumId' && currentNum !== undefined) numToAbstract.set(currentNum, a('val') ?? '');
    });
    parser.on('closetag', (tag) => {
      if (tag.local === 'lvl') currentLevel = undefined;
      else if (tag.local === 'abstractNum') currentAbstract = undefined;
      else if (tag.local === 'num') currentNum = undefined;
    });
    parser.write(xml).close();
  }
  const counters = new Map<string, number[]>();
  return {
    next(numId, level) {
      const levels = abstract.get(numToAbstract.get(numId) ?? '');
      const definition = levels?.get(level);
      if (!levels || !definition) return undefined;
      const counts = counters.get(numId) ?? [];
      counts[level] = (counts[level] ?? (definition.start ?? 1) - 1) + 1;
      // A new item at this level restarts every deeper level.
      counts.length = level + 1;
      counters.set(numId, counts);
      if (definition.format === 'bullet' || definition.format === 'none') return definition.format === 'bullet' ? '•' : undefined;
      return definition.text.replace(/%(\d)/g, (_m, n: string) => {
        const l = Number(n) - 1;
        const format = levels.get(l)?.format ?? 'decimal';
        return formatNumber(format, counts[l] ?? levels.get(l)?.start ?? 1) ?? '';
      });
    },
  };
};
