/** Business dates in words, as the timeline's summaries and the pages say them: "March 2017", "3 March 2017". */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A business date at its own precision: a month stays a month. Anything else is given back as it is. */
export const businessDate = (value: unknown): string => {
  if (typeof value !== 'string') return '';
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) return value;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
};

/** A business date after its preposition: "on 3 March 2017" for a day, "in March 2017" for a month. */
export const onOrIn = (value: unknown): string => {
  const words = businessDate(value);
  return typeof value === 'string' && /^\d{4}-\d{2}$/.test(value) ? `in ${words}` : `on ${words}`;
};
