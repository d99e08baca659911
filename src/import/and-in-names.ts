/**
 * Whether an "and" (or "&") in a "Led by" cell parts two organisations or sits inside one name.
 * Public bodies are often named with one: "Devon and Cornwall Police", "Avon and Wiltshire Mental
 * Health Partnership NHS Trust", "Health and Wellbeing Board", "Police and Crime Commissioner". A
 * list of two names ends its first with what an organisation is ("Dorset Police and Dorset County
 * Council", "Trust and Local Authority") or with an acronym ("CCG and LA"); words that only qualify
 * what follows ("Devon", "Child", "Health") do not. Names the directory knows are matched whole
 * before this is asked (led-by.ts), so "Dorset Fire and Rescue Service" never reaches it, and a
 * known name on either side always parts.
 */

/** The last word of a name that says what an organisation is. Lower case; a plural matches too. */
const ORGANISATION_WORDS = new Set([
  'agency',
  'authority',
  'board',
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
 * An organisation's word followed by "and" inside a name: only the Police and Crime Commissioner (and
 * Panel). Pairs after any other word ("Fire and Rescue", "Health and Wellbeing") join by the rule below.
 */
const POLICE_AND_CRIME = /^police\s+(?:and|&)\s+crime$/i;

/** "CCG", "LA", "GPs", "A&E": a name on its own, or the word that ends one ("Dorset CCG"). */
const ACRONYM = /^[A-Z][A-Z&]{1,9}s?$/;
/** "NHS" qualifies what follows it ("Kent and Medway NHS and Social Care Partnership Trust") more than it ends a name. */
const QUALIFYING_ACRONYMS = new Set(['NHS']);

const lastWord = (text: string) => /(\S+)\s*$/.exec(text)?.[1] ?? '';
const firstWord = (text: string) => /^\s*(\S+)/.exec(text)?.[1] ?? '';
const organisationWord = (word: string) => {
  const bare = word.toLowerCase().replace(/[^a-z-]/g, '');
  return (
    ORGANISATION_WORDS.has(bare) ||
    (bare.endsWith('s') && ORGANISATION_WORDS.has(bare.replace(/(?:ies|s)$/, (s) => (s === 'ies' ? 'y' : ''))))
  );
};

/**
 * True when `left` and `right`, either side of an "and" (`joiner`), are one name. `isKnown` tells
 * whether a piece is a name the directory matched whole (a placeholder in led-by.ts).
 */
export const andJoinsOneName = (left: string, joiner: string, right: string, isKnown: (piece: string) => boolean): boolean => {
  if (isKnown(left) || isKnown(right)) return false;
  if (POLICE_AND_CRIME.test(`${lastWord(left)} ${joiner} ${firstWord(right)}`)) return true;
  // "Anyshire Mental Health Partnership (AMHP)": a name given its acronym has ended.
  if (/\)\s*$/.test(left)) return false;
  const ending = lastWord(left);
  if (ACRONYM.test(ending) && !QUALIFYING_ACRONYMS.has(ending)) return false;
  return !organisationWord(ending);
};
