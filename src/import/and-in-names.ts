/**
 * Whether an "and" (or "&") in a "Led by" cell parts two organisations or sits inside one name.
 * Public bodies are often named with one: "Devon and Cornwall Police", "Avon and Wiltshire Mental
 * Health Partnership NHS Trust", "Health and Wellbeing Board", "Police and Crime Commissioner". A
 * list of two names ends its first with what an organisation is ("Dorset Police and Dorset County
 * Council", "Trust and Local Authority") or with an acronym ("CCG and LA"); words that only qualify
 * what follows ("Devon", "Avon") do not. Names the directory knows are matched whole
 * before this is asked (led-by.ts), so "Dorset Fire and Rescue Service" never reaches it, and a
 * known name on either side always parts.
 */

/** The last word of a name that says what an organisation is. Lower case; a plural matches too. */
const ORGANISATION_WORDS = new Set([
  'agency',
  'authority',
  'board',
  // A sector named as a lead: "Primary Care and Secondary Care", "Adult Social Care and Housing".
  'care',
  'centre',
  'commission',
  'commissioner',
  'commissioners',
  'constabulary',
  'council',
  'department',
  'directorate',
  'england',
  'executive',
  'forum',
  'group',
  'healthcare',
  'hospital',
  'improvement',
  'inspectorate',
  'network',
  'office',
  'panel',
  'partnership',
  'police',
  'practice',
  'provider',
  'service',
  'team',
  'trust',
  'unit',
]);

/**
 * Pairs of words an "and" joins inside the names of public bodies: "Dorset Police and Crime Commissioner", "Public
 * Health and Wellbeing Board", "Mental Health and Learning Disabilities Service". Hidden before names are matched
 * (`hideAndInNames`), so a known name never ends inside one ("Dorset Police" of "Dorset Police and Crime
 * Commissioner") and no separator parts it. Each first word joins only its own seconds: "Police and Emergency
 * Departments", "Dorset Police and Care Homes" are two bodies each.
 */
const PAIRS: [first: string, seconds: string][] = [
  ['police', 'crime'],
  ['health', 'wellbeing|well-being|social\\s+care|care|learning'],
  ['fire', 'rescue'],
  ['children', 'young|adolescent'],
  ['child', 'adolescent'],
  ['drugs?', 'alcohol'],
  ['accident', 'emergency'],
  ['crime', 'disorder'],
];
const AND_IN_NAMES = new RegExp(
  `\\b(${PAIRS.map(([first, seconds]) => `${first}(?=\\s+(?:and|&)\\s+(?:${seconds})\\b)`).join('|')})(\\s+)(and|&)(\\s+)`,
  'gi',
);
// Private-use characters, which a document's names do not hold, stand for the hidden "and" and "&".
const HIDDEN = { and: '\uE000', '&': '\uE001' } as const;

export const hideAndInNames = (text: string): string =>
  text.replace(AND_IN_NAMES, (_m, word: string, before: string, joiner: string, after: string) => {
    // "a\uE000nd" is no word "and" to part at, and gives the wording back with its case when the mark is removed.
    const hidden = joiner === '&' ? HIDDEN['&'] : `${joiner[0]}${HIDDEN.and}${joiner.slice(1)}`;
    return `${word}${before}${hidden}${after}`;
  });

export const showAndInNames = (text: string): string => text.replace(/\uE000/g, '').replace(/\uE001/g, '&');

/** "CCG", "LA", "GPs", "A&E": a name on its own, or the word that ends one ("Dorset CCG"). */
const ACRONYM = /^[A-Z][A-Z&]{1,9}s?$/;
/** "NHS" qualifies what follows it ("Kent and Medway NHS and Social Care Partnership Trust") more than it ends a name. */
const QUALIFYING_ACRONYMS = new Set(['NHS']);

const lastWord = (text: string) => /(\S+)\s*$/.exec(text)?.[1] ?? '';
const organisationWord = (word: string) => {
  const bare = word.toLowerCase().replace(/[^a-z-]/g, '');
  return (
    ORGANISATION_WORDS.has(bare) ||
    (bare.endsWith('s') && ORGANISATION_WORDS.has(bare.replace(/(?:ies|s)$/, (s) => (s === 'ies' ? 'y' : ''))))
  );
};

/**
 * True when `left` and `right`, either side of an "and" or "&", are one name (beyond the pairs hidden above). `isKnown` tells
 * whether a piece is a name the directory matched whole (a placeholder in led-by.ts).
 */
export const andJoinsOneName = (left: string, right: string, isKnown: (piece: string) => boolean): boolean => {
  if (isKnown(left) || isKnown(right)) return false;
  // "Housing and Police": a body named only by what it is ends no name begun on the left.
  if (/^\S+$/.test(right.trim()) && organisationWord(right.trim())) return false;
  // "Anyshire Mental Health Partnership (AMHP)": a name given its acronym has ended.
  if (/\)\s*$/.test(left)) return false;
  const ending = lastWord(left);
  if (ACRONYM.test(ending) && !QUALIFYING_ACRONYMS.has(ending)) return false;
  return !organisationWord(ending);
};
