import { fullYear } from './dates.ts';

/**
 * "Summer 2018", "Winter 2018/19": a season as a plan's deadline, read as due by the season's end, the months the Met
 * Office and NHS winter planning use (spring March–May, summer June–August, autumn September–November, winter
 * December–February). The end, not the start, because an action "for Summer 2018" is not late until summer is over,
 * as a quarter or a year is due at its end.
 */
export interface SeasonReading {
  /** The month the season ends, "YYYY-MM". */
  date: string;
  message: string;
}

const SEASON = /^(spring|summer|autumn|fall|winter)\s+(?:of\s+)?'?(\d{4}|\d{2})(?:\s*[/-]\s*(\d{2}|\d{4}))?$/i;
const ENDS: Record<string, { month: number; span: string }> = {
  spring: { month: 5, span: 'March–May' },
  summer: { month: 8, span: 'June–August' },
  autumn: { month: 11, span: 'September–November' },
  fall: { month: 11, span: 'September–November' },
};

const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;

export const readSeason = (core: string, wording: string): SeasonReading | undefined => {
  const m = SEASON.exec(core);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const year = fullYear(m[2]!);
  const second = m[3];
  // A pair of years names a winter, December to February ("Winter 2018/19"); after another season it names nothing.
  if (second !== undefined && (name !== 'winter' || Number(second.slice(-2)) !== (year + 1) % 100)) return undefined;
  if (name === 'winter') {
    const date = month(year + 1, 2);
    // "Winter 2018" alone is, in NHS winter planning, the winter that starts in December 2018; say what else it may be.
    const alternative = second === undefined ? `; if the plan meant January–February ${year}, it was due ${month(year, 2)}` : '';
    return {
      date,
      message: `"${wording}" read as the end of the winter December ${year}–February ${year + 1}: due ${date}, wording kept${alternative}`,
    };
  }
  const end = ENDS[name]!;
  const date = month(year, end.month);
  return { date, message: `"${wording}" read as the end of ${name} ${year} (${end.span}): due ${date}, wording kept` };
};
