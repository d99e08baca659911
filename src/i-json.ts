import { isSafeNumber } from 'lossless-json';

/**
 * What makes a JSON text more than I-JSON (RFC 7493) allows, found where JSON.parse would
 * silently decide for the sender: a member name given twice (JSON.parse keeps the last), or
 * a number a double cannot hold as written (JSON.parse rounds 9007199254740993 to …992).
 */
export type IJsonViolation = ({ kind: 'duplicate-key'; key: string } | { kind: 'inexact-number'; number: string }) & {
  path: string;
  /** Where in the text it is (a UTF-16 index), for a line number. */
  at: number;
};

/** One open object or array: the names seen so far (objects), and where the scan is inside it. */
interface Container {
  names: Set<string> | undefined;
  /** The member name or array index of the value being read. */
  at: string | number;
  expectName: boolean;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote closing the string that opens at `start`: the next quote not escaped by an odd run of backslashes. */
const stringEnd = (text: string, start: number): number => {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    let before = quote - 1;
    while (text.charCodeAt(before) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote;
    from = quote + 1;
  }
};

/** Paths read like the rest of the API's findings: body.metrics.0.value. */
const pathOf = (open: Container[], depth: number, last?: string) =>
  ['body', ...open.slice(0, depth).map((c) => c.at), ...(last === undefined ? [] : [last])].join('.');

/**
 * The first violation in a text JSON.parse has already accepted (so its grammar is not
 * checked again here), or undefined. One pass, no tree built: it runs on every request body.
 */
export const firstIJsonViolation = (text: string): IJsonViolation | undefined => {
  const open: Container[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = open[open.length - 1];
      if (top?.names && top.expectName) {
        const raw = text.slice(i + 1, end);
        // An escaped name ("\u0061") is the same name as its plain spelling ("a").
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.names.has(name)) return { kind: 'duplicate-key', key: name, path: pathOf(open, open.length - 1, name), at: i };
        top.names.add(name);
        top.at = name;
        top.expectName = false;
      }
      i = end + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)![0];
      if (!isSafeNumber(number)) return { kind: 'inexact-number', number, path: pathOf(open, open.length), at: i };
      i += number.length;
    } else {
      if (c === 0x7b) open.push({ names: new Set(), at: '', expectName: true });
      else if (c === 0x5b) open.push({ names: undefined, at: 0, expectName: false });
      else if (c === 0x7d || c === 0x5d) open.pop();
      else if (c === 0x2c) {
        const top = open[open.length - 1]!;
        if (top.names) top.expectName = true;
        else top.at = (top.at as number) + 1;
      }
      // Anything else is white space, a colon or a letter of true/false/null.
      i++;
    }
  }
  return undefined;
};
