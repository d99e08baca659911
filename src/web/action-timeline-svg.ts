import { firstDayOf, lastDayOf, type Due } from '../../events/business-date.ts';
import type { TimelineEntry } from '../../projections/timeline/timeline.ts';
import type { ActionView } from '../../projections/plan-status/action-view.ts';
import { businessDate, due as dueText, onOrIn } from '../presentation/format.ts';

/**
 * The picture of one action's life on the calendar, by the dates things happened (business
 * dates): agreed, the deadline first set, each revision (drawn at the deadline it set, joined
 * to when it was agreed), each update, completion or closure, each reopening (a closed action
 * reopened is open again: a picture of its closure alone would say it is closed), and today (or
 * the day the page looks back to). The page draws it as
 * inline SVG from these marks; the history table below it says the same in words.
 */
export interface TimelineMark {
  kind: 'agreed' | 'original-due' | 'revision' | 'update' | 'completion' | 'reopened' | 'today';
  x: number;
  label: string;
  /** A short word drawn above the axis, on a row of its own where labels would otherwise overlap. */
  caption?: { text: string; y: number };
  /** The revision's agreement, joined by a line to the deadline it set. */
  fromX?: number;
}

export interface TimelinePicture {
  width: number;
  height: number;
  axisY: number;
  marks: TimelineMark[];
  ticks: { x: number; label: string }[];
  description: string;
}

const WIDTH = 960;
const AXIS_Y = 90;
const MARGIN = 40;
const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/** A business date drawn at the middle of the period it covers: a month sits mid-month. */
const centreOf = (date: string) => (dayNumber(firstDayOf(date)) + dayNumber(lastDayOf(date))) / 2;

/** What closes an action, and what opens it again, in the words of a sentence. */
const CLOSED_OR_REOPENED: Readonly<Record<string, string>> = {
  ActionCompleted: 'completed',
  ActionSubsumed: 'subsumed',
  ActionWithdrawn: 'withdrawn',
  ActionReopened: 'reopened',
};

export const actionTimelinePicture = (
  action: ActionView,
  entries: TimelineEntry[],
  today: string,
  /** Each revision's new deadline as corrections leave it, by its event: the entries say what was recorded. */
  revisedTo: ReadonlyMap<string, Due> = new Map(),
  /** The page looks back to an earlier date (either clock): `today` is that day, not today, and is named so. */
  lookingBack = false,
): TimelinePicture => {
  const todayName = lookingBack ? 'Date shown' : 'Today';
  const nowOrThen = lookingBack ? 'then' : 'now';
  const points: { kind: TimelineMark['kind']; day: number; label: string; fromDay?: number }[] = [];
  points.push({ kind: 'agreed', day: centreOf(action.agreedOn), label: `Agreed ${businessDate(action.agreedOn)}` });
  if (action.originalDue.kind === 'date')
    points.push({ kind: 'original-due', day: centreOf(action.originalDue.date), label: `First deadline ${dueText(action.originalDue)}` });
  const updatesByMonth = new Map<string, number>();
  for (const entry of entries) {
    const on = entry.effectiveOn.date;
    if (entry.type === 'DeadlineRevised') {
      // The new deadline's date: as corrected, else as the entry recorded it. Only a dated one is drawn.
      const revised = revisedTo.get(entry.eventId) ?? (entry.changes.find((c) => c.field === 'due')?.after as Due | undefined);
      const date = revised?.kind === 'date' ? revised.date : undefined;
      if (date !== undefined)
        points.push({
          kind: 'revision',
          day: centreOf(date),
          fromDay: centreOf(on),
          label: `Revised ${onOrIn(on)} to ${businessDate(date)}`,
        });
    } else if (entry.type === 'ProgressUpdateRecorded') {
      // One dot per month however many updates it had, so a long history stays a small picture.
      const month = on.slice(0, 7);
      updatesByMonth.set(month, (updatesByMonth.get(month) ?? 0) + 1);
    } else if (entry.type === 'ActionReopened')
      points.push({ kind: 'reopened', day: centreOf(on), label: `${entry.summary} (${businessDate(on)})` });
    else if (CLOSED_OR_REOPENED[entry.type] !== undefined)
      points.push({ kind: 'completion', day: centreOf(on), label: `${entry.summary} (${businessDate(on)})` });
  }
  for (const [month, count] of updatesByMonth)
    points.push({ kind: 'update', day: centreOf(month), label: `${count} update${count > 1 ? 's' : ''} in ${businessDate(month)}` });
  points.push({ kind: 'today', day: dayNumber(today), label: `${todayName} ${businessDate(today)}` });
  const days = points.flatMap((p) => (p.fromDay === undefined ? [p.day] : [p.day, p.fromDay]));
  const first = Math.min(...days) - 15;
  const last = Math.max(...days) + 15;
  const x = (day: number) => Math.round(MARGIN + ((day - first) / (last - first)) * (WIDTH - 2 * MARGIN));
  const firstYear = new Date(first * DAY_MS).getUTCFullYear() + 1;
  const lastYear = new Date(last * DAY_MS).getUTCFullYear();
  const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 12));
  const ticks = [];
  for (let year = firstYear; year <= lastYear; year += step)
    ticks.push({ x: x(dayNumber(`${String(year).padStart(4, '0')}-01-01`)), label: String(year) });
  const captions: Partial<Record<TimelineMark['kind'], string>> = {
    agreed: 'Agreed',
    'original-due': 'First deadline',
    revision: 'Revised deadline',
    completion: 'Closed',
    reopened: 'Reopened',
    today: todayName,
  };
  // Each caption takes the highest row whose last caption ends before it starts (about 7 px a letter).
  const rowsEnd: number[] = [];
  const marks = points
    .map((p): TimelineMark => ({ kind: p.kind, x: x(p.day), label: p.label, ...(p.fromDay === undefined ? {} : { fromX: x(p.fromDay) }) }))
    .sort((a, b) => a.x - b.x)
    .map((m): TimelineMark => {
      const text = captions[m.kind];
      if (!text) return m;
      const half = (text.length * 7) / 2;
      let row = rowsEnd.findIndex((end) => end < m.x - half);
      if (row < 0) row = rowsEnd.length;
      rowsEnd[row] = m.x + half + 4;
      return { ...m, caption: { text, y: AXIS_Y - 16 - row * 15 } };
    });
  const revisions = points.filter((p) => p.kind === 'revision').length;
  const updates = [...updatesByMonth.values()].reduce((n, c) => n + c, 0);
  const revised = revisions === 1 ? 'once' : `${revisions} times`;
  // Once reopened, each closing and reopening in the order the ledger learned them, as the closure in force is the last.
  const closings = entries.filter((e) => CLOSED_OR_REOPENED[e.type] !== undefined);
  const reopened = closings.some((e) => e.type === 'ActionReopened');
  const lifecycle = closings.map((e) => `${CLOSED_OR_REOPENED[e.type]} ${onOrIn(e.effectiveOn.date)}`).join(', then ');
  const description = [
    `Action ${action.ref} was agreed ${onOrIn(action.agreedOn)}`,
    action.originalDue.kind === 'date'
      ? ` with a deadline of ${dueText(action.originalDue)}`
      : ` with the timescale "${dueText(action.originalDue)}"`,
    revisions ? `; the deadline was revised ${revised}, and ${lookingBack ? 'was' : 'is'} ${nowOrThen} ${dueText(action.currentDue)}` : '',
    `; ${updates} progress update${updates === 1 ? '' : 's'}`,
    reopened
      ? `; ${lifecycle}${action.closure ? '' : '; open again'}`
      : action.closure
        ? `; ${action.closure.kind} ${onOrIn(action.closure.effectiveOn)}`
        : '; still open',
    lookingBack ? `. This page shows it as it stood on ${businessDate(today)}.` : `. Today is ${businessDate(today)}.`,
  ].join('');
  return { width: WIDTH, height: 150, axisY: AXIS_Y, marks, ticks, description };
};
