import { cellText, type Cell } from './cells.ts';
import { isAcronymOf } from './led-by.ts';
import type { ImportWarning } from './plan-document.ts';

/**
 * The glossary: cells in pairs, a short term then its definition. Terms that name
 * organisations ("Acute Care Trusts") and the organisations a definition lists
 * ("Royal Bournemouth General Hospital Foundation Trust") feed the alias table;
 * every term also expands acronyms ("ACP" → "Acute Care Pathway").
 */
export interface Glossary {
  entries: { term: string; definition: string; line: number }[];
  organisations: string[];
}

const ORGANISATION_WORDS =
  /\b(?:trusts?|council|police|authority|authorities|forum|ccg|icb|board|commissioners?|agency|partnership|fellowship|association|hospitals?|service foundation trust)\s*$/i;
const NAMED_ORGANISATION =
  /\b((?:[A-Z][\w’'&-]*\s+(?:(?:of|for)\s+)?){1,6}(?:Foundation Trust|NHS Trust|Trust|Council|Police|Forum|Fellowship|Association|Mind|Illness|Authority))\b/g;

export const readGlossary = (cells: Cell[], warnings: ImportWarning[]): Glossary => {
  const entries: Glossary['entries'] = [];
  const organisations = new Set<string>();
  const texts = cells.map((c) => ({ cell: c, text: cellText(c) })).filter((c) => c.text !== '');
  for (let i = 0; i < texts.length; i++) {
    const term = texts[i]!;
    const definition = texts[i + 1];
    if (term.text.includes('\n') || term.text.length > 100 || !definition) {
      warnings.push({
        code: 'glossary-unpaired',
        line: term.cell.line,
        message: `glossary text that is not a term with a definition was not imported: "${term.text.slice(0, 120)}"`,
      });
      continue;
    }
    entries.push({ term: term.text.trim(), definition: definition.text.replace(/\s*\n\s*/g, ' ').trim(), line: term.cell.line });
    if (ORGANISATION_WORDS.test(term.text.trim())) organisations.add(term.text.trim());
    for (const m of definition.text.matchAll(NAMED_ORGANISATION)) {
      const name = m[1]!.trim();
      if (name.split(/\s+/).length >= 3) organisations.add(name);
    }
    i++;
  }
  return { entries, organisations: [...organisations] };
};

/**
 * What an acronym stands for in this document: a glossary term with those initials, or
 * a "Full Name (ABC)" the document writes out. Undefined when nothing says.
 */
export const expandAcronym = (acronym: string, glossaryTerms: string[], documentText: string): string | undefined => {
  const fromGlossary = glossaryTerms.find((t) => isAcronymOf(acronym, t.replace(/\b(?:of|and|the|for)\b/g, '')));
  if (fromGlossary) return fromGlossary;
  const written = new RegExp(`((?:[A-Z][\\w’'-]*\\s+(?:(?:and|of|for|the)\\s+)?){1,8})\\(${acronym}\\)`).exec(documentText);
  return written && isAcronymOf(acronym, written[1]!.trim()) ? written[1]!.trim() : undefined;
};
