import { fullYear } from './dates.ts';

/**
 * "Summer 2018", "Winter 2018/19", "Spring/Summer 2018", "Autumn term 2018": a season or a school term as a plan's
 * deadline, read as due by its end. Seasons are the months the Met Office and NHS winter planning use (spring
 * March–May, summer June–August, autumn September–November, winter December–February). The end, not the start,
 * because an action "for Summer 2018" is not late until summer is over, as a quarter or a year is due at its end.
 * Two seasons side by side ("Spring/Summer 2018") are due at the end of the later one. School terms are England's:
 * the autumn term ends in December, the spring term at Easter (late March or early April, so April) and the summer
 * term in July; a school year ("Spring term 2018/19") puts the autumn term in its first year and the others in its second.
 */
export interface SeasonReading {
  /** The month the season ends, "YYYY-MM". */
  date: string;
  message: string;
}

const NAME = '(spring|summer|autumn|fall|winter)';
const YEARS = `'?(\\d{4}|\\d{2})(?:\\s*[/-]\\s*(\\d{2}|\\d{4}))?`;
const SEASON = new RegExp(`^(?:${NAME}\\s*(?:/|&|-|–|\\band\\b|\\bto\\b)\\s*)?${NAME}\\s+(?:of\\s+)?${YEARS}$`, 'i');
const TERM = new RegExp(`^(autumn|spring|summer)\\s+term\\s+(?:of\\s+)?${YEARS}$`, 'i');
const ORDER = ['spring', 'summer', 'autumn', 'winter'];
const ENDS: Record<string, { month: number; span: string }> = {
  spring: { month: 5, span: 'March–May' },
  summer: { month: 8, span: 'June–August' },
  autumn: { month: 11, span: 'September–November' },
};
const TERM_ENDS: Record<string, { month: number; span: string }> = {
  autumn: { month: 12, span: 'September–December' },
  spring: { month: 4, span: 'January–Easter' },
  summer: { month: 7, span: 'April–July' },
};

const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;
const season = (name: string) => (name.toLowerCase() === 'fall' ? 'autumn' : name.toLowerCase());
/** The second of two years that follow on ("2018/19"), or undefined when there is none; false when they do not follow on. */
const followingYear = (year: number, second: string | undefined): number | undefined | false =>
  second === undefined ? undefined : Number(second.slice(-2)) === (year + 1) % 100 ? year + 1 : false;

/** "Autumn term 2018": due at the end of that term; "Spring term 2018/19", in the school year's second year. */
const readTerm = (core: string, wording: string): SeasonReading | undefined => {
  const m = TERM.exec(core);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const first = fullYear(m[2]!);
  const next = followingYear(first, m[3]);
  if (next === false) return undefined;
  const year = next !== undefined && name !== 'autumn' ? next : first;
  const end = TERM_ENDS[name]!;
  const date = month(year, end.month);
  return { date, message: `"${wording}" read as the end of the ${name} term ${year} (${end.span}): due ${date}, wording kept` };
};

export const readSeason = (core: string, wording: string): SeasonReading | undefined => {
  const term = readTerm(core, wording);
  if (term) return term;
  const m = SEASON.exec(core);
  if (!m) return undefined;
  const earlier = m[1] === undefined ? undefined : season(m[1]);
  const name = season(m[2]!);
  const said = m[2]!.toLowerCase();
  // Two seasons name a span: only a season and the one after it ("Spring/Summer", "Autumn/Winter", "Winter/Spring").
  if (earlier !== undefined && ORDER[(ORDER.indexOf(earlier) + 1) % 4] !== name) return undefined;
  const year = fullYear(m[3]!);
  const second = m[4];
  const spanned = earlier === undefined ? '' : `, the later of ${earlier} and ${name}`;
  // A pair of years names a winter, December to February ("Winter 2018/19"), and the spring after it ("Winter/Spring
  // 2018/19" ends in May 2019); after another season it names nothing.
  const afterWinter = earlier === 'winter' && name === 'spring';
  if (second !== undefined && ((name !== 'winter' && !afterWinter) || followingYear(year, second) === false)) return undefined;
  if (second !== undefined && afterWinter) {
    const date = month(year + 1, ENDS.spring!.month);
    return {
      date,
      message: `"${wording}" read as the end of spring ${year + 1} (${ENDS.spring!.span})${spanned}: due ${date}, wording kept`,
    };
  }
  if (name === 'winter') {
    const date = month(year + 1, 2);
    // "Winter 2018" alone is, in NHS winter planning, the winter that starts in December 2018; say what else it may be.
    const alternative =
      second === undefined && earlier === undefined ? `; if the plan meant January–February ${year}, it was due ${month(year, 2)}` : '';
    return {
      date,
      message:
        `"${wording}" read as the end of the winter December ${year}–February ${year + 1}${spanned}: ` +
        `due ${date}, wording kept${alternative}`,
    };
  }
  const end = ENDS[name]!;
  const date = month(year, end.month);
  return { date, message: `"${wording}" read as the end of ${said} ${year} (${end.span})${spanned}: due ${date}, wording kept` };
};
