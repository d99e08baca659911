import { andJoinsOneName, hideAndInNames, showAndInNames } from './and-in-names.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';

/**
 * "Led by" cells name leads and partners in prose:
 *   "Dorset Clinical Commissioning Group with other partners including Dorset Health Care, …"
 *   "Dorset HealthCare to lead with all other partners including SWASFT, Acute Trusts …"
 *   "Local Authorities, Dorset Clinical Commissioning Group and Dorset HealthCare"
 * Whoever comes before "with" leads; whoever comes after is a partner; a list without
 * "with" is all leads. Names the alias table knows are matched whole first, so
 * "Dorset Fire and Rescue Service" is never split at its "and". The cell's wording is
 * kept separately (ledByWording); names are canonicalised through the directory.
 */
export interface LedBy {
  leads: string[];
  partners: string[];
  /** "South West Ambulance Service Foundation Trust (SWASFT)": the document's own alias pairs. */
  aliases: { name: string; alias: string }[];
}

const LEAD_SPLIT = /\s*,?\s+(?:to\s+lead\s+)?(?:working\s+with|in\s+partnership\s+with|supported\s+by|assisted\s+by|alongside|with)\s+/i;
const FILLER_START = /^(?:(?:all\s+)?(?:other\s+)?(?:key\s+)?partners?\s*(?:including|incl\.?|such as|:)?\s*|including\s+)/i;
const VAGUE =
  /^(?:others?|other (?:organisations|agencies|partners)(?: as (?:needed|appropriate|required))?|all partners|partners|etc\.?|as (?:needed|appropriate|required))$/i;
/**
 * Between two names: a comma, "and", "and/or", "&", or a slash with a space either side ("Trust / Police"). A slash
 * without them parts nothing: it is as often inside one name ("Crisis Resolution/Home Treatment Team", "NHS
 * England/Improvement", "L/A") as between two. Nor does one in brackets ("(A / E)").
 */
const NAME_SEPARATOR = /\s*(?:,|;|\s&\s|\band\s*\/\s*or\b|\band\b|\n|\s\/\s(?![^()]*\)))\s*/i;
/** The same, kept in the split's result between the pieces it parts. */
const SEPARATOR_KEPT = new RegExp(`(${NAME_SEPARATOR.source})`, 'i');

/**
 * Pieces and the separators between them (a split keeping them) → the names, an "and" or "&" put back
 * where it sits inside one name (and-in-names.ts).
 */
const joinNamesWithAnd = (separated: string[]): string[] => {
  const names = [separated[0] ?? ''];
  for (let i = 1; i < separated.length; i += 2) {
    const joiner = separated[i]!.trim();
    const right = separated[i + 1] ?? '';
    const left = names.at(-1)!;
    if (/^(?:and|&)$/i.test(joiner) && left.trim() && right.trim() && andJoinsOneName(left, right, isPlaceholder)) {
      names[names.length - 1] = `${left.trim()} ${joiner} ${right.trim()}`;
    } else names.push(right);
  }
  return names;
};
// NUL never occurs in a document's text, so it brackets a protected name's placeholder unambiguously.
// eslint-disable-next-line no-control-regex -- NUL is the placeholder's delimiter on purpose
const PLACEHOLDER = /\u0000(\d+)\u0000/g;
/** A piece that begins or ends with a name the directory knows (the left of an "and" ends with it, the right begins). */
const STARTS_KNOWN = new RegExp(`^(?:the\\s+)?${PLACEHOLDER.source}`, 'i');
const ENDS_KNOWN = new RegExp(`${PLACEHOLDER.source}$`);
const isPlaceholder = (piece: string) => STARTS_KNOWN.test(piece.trim()) || ENDS_KNOWN.test(piece.trim());

export const isAcronymOf = (acronym: string, name: string): boolean => {
  if (!/^[A-Z][A-Z/&]{1,9}$/.test(acronym)) return false;
  const letters = acronym.replace(/[/&]/g, '');
  const initials = name
    .split(/[\s-]+/)
    .filter((w) => /^[A-Z]/.test(w))
    .map((w) => w[0]!);
  if (initials[0] !== letters[0] || initials.at(-1) !== letters.at(-1)) return false;
  let i = 0;
  for (const initial of initials) if (initial === letters[i]) i++;
  return i === letters.length;
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every name the directory knows, longest first, so the longest match wins. */
const knownNames = (directory: OrganisationDirectory): string[] =>
  directory
    .list()
    .flatMap((o) => [o.name, ...o.aliases])
    .sort((a, b) => b.length - a.length);

const splitNames = (part: string, known: string[], aliases: LedBy['aliases']): string[] => {
  const protectedNames: string[] = [];
  // Hidden first, in the known names too, so a known name never ends inside another's "and" (and-in-names.ts).
  let text = hideAndInNames(part.replace(FILLER_START, ''));
  for (const name of known) {
    const pattern = new RegExp(
      `(^|[\\s,;(]|\\bthe\\s)${escape(hideAndInNames(name))}(?=$|[\\s]*[,;()&]|\\s+\\/\\s|\\s+(?:and|with)\\b|\\s*$)`,
      'gi',
    );
    text = text.replace(pattern, (_m, before: string) => `${before}\u0000${protectedNames.push(name) - 1}\u0000`);
  }
  const separated = text
    // eslint-disable-next-line no-control-regex -- a placeholder (NUL-bracketed) starts a name like a capital does
    .replace(/\)\s+(?=[A-Z\u0000])/g, '), ')
    .split(SEPARATOR_KEPT);
  const pieces = joinNamesWithAnd(separated)
    .map((p) => p.trim())
    .filter(Boolean);
  const names: string[] = [];
  for (const piece of pieces) {
    let name = piece
      .replace(FILLER_START, '')
      .replace(/^(?:the|three|two|four|all)\s+/i, '')
      .replace(/[.:]+$/, '')
      .trim();
    name = showAndInNames(name.replace(PLACEHOLDER, (_m, i: string) => protectedNames[Number(i)]!));
    const paren = /^(.*?)\s*\(([^)]+)\)$/.exec(name);
    if (paren && isAcronymOf(paren[2]!.trim(), paren[1]!)) {
      aliases.push({ name: paren[1]!.trim(), alias: paren[2]!.trim() });
      name = paren[1]!.trim();
    } else if (paren && known.some((k) => k.toLowerCase() === paren[1]!.trim().toLowerCase())) {
      name = paren[1]!.trim();
    }
    if (name && !VAGUE.test(name)) names.push(name);
  }
  return names;
};

export const splitLedBy = (wording: string, directory: OrganisationDirectory): LedBy => {
  const text = wording.replace(/\s+/g, ' ').trim();
  const known = knownNames(directory);
  const aliases: LedBy['aliases'] = [];
  const split = LEAD_SPLIT.exec(text);
  const leadPart = (split ? text.slice(0, split.index) : text).replace(/\s+to\s+lead$/i, '');
  const partnerPart = split ? text.slice(split.index + split[0].length) : '';
  const canonical = (names: string[]) => [...new Set(names.map((n) => directory.canonical(n)))];
  const leads = canonical(splitNames(leadPart, known, aliases));
  const partners = canonical(splitNames(partnerPart, known, aliases)).filter((p) => !leads.includes(p));
  return { leads, partners, aliases };
};
