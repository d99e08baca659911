import type { Clocks } from '../../projections/clocks/clocks.ts';
import { toLedgerFact } from '../../projections/ledger-fact.ts';
import { addDays } from '../../projections/plan-status/dates.ts';
import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { planStream } from '../../events/streams.ts';
import { londonDay } from '../../src/domain/calendar.ts';
import type { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { collect } from '../support/collect.ts';
import { PLANS } from './random-histories.ts';

/*
 * Clocks the time-travel property test reads at beside its random ones, worked out from the
 * history it recorded: the points where an answer changes, which random clocks seldom hit.
 */

/**
 * The London days on which the last few corrections that set a business date (or correct a correction) were recorded, and
 * the day before each: a month a correction set within that month counts from the day it was recorded, which random days
 * rarely hit.
 */
export const daysAroundDateCorrections = async (store: SqliteEventStore): Promise<string[]> => {
  const setting = [];
  for (const planId of PLANS)
    for (const event of await collect(store.readStream(planStream(planId)))) {
      if (event.type !== 'EntryCorrected') continue;
      const data = event.data as { correctedType: string; correctedEffectiveOn?: string; changes: Record<string, unknown> };
      // A correction of a correction may amend the date it sets, or redirect it to another entry.
      if (data.correctedEffectiveOn ?? data.changes.completedOn ?? (data.correctedType === 'EntryCorrected' || undefined))
        setting.push(event);
    }
  const last = setting.sort((a, b) => (a.position < b.position ? -1 : 1)).slice(-3);
  return last.flatMap((e) => [londonDay(e.recordedAt), londonDay(new Date(Date.parse(e.recordedAt) - 86_400_000))]);
};

/**
 * Clocks on the edges where an answer changes, which random clocks seldom land on: the instant
 * each plan's registration, its last entry and its entries dated before one recorded earlier were
 * recorded (an asOf resolving exactly to that position), and the first and last days of their
 * business dates, the day before, and the London day they were recorded on (where a late fact
 * starts to count, and where a plan's first business block begins), each alone and together.
 */
export const edgeClocks = async (store: SqliteEventStore, pick: number): Promise<Clocks[]> => {
  const clocks: Clocks[] = [];
  for (const planId of PLANS) {
    const facts = (await collect(store.readStream(planStream(planId)))).flatMap((e) => toLedgerFact(e) ?? []);
    const late = facts.filter((f, i) => facts.slice(0, i).some((earlier) => earlier.effectiveOn.date > f.effectiveOn.date));
    for (const fact of new Set([facts[0], facts.at(-1), ...late.slice(-2)])) {
      if (!fact) continue;
      const date = fact.effectiveOn.date;
      const days = [firstDayOf(date), lastDayOf(date), addDays(firstDayOf(date), -1), londonDay(fact.recordedAt)];
      clocks.push({ asOf: fact.recordedAt }, ...days.map((effectiveOn) => ({ effectiveOn })));
      clocks.push({ asOf: fact.recordedAt, effectiveOn: londonDay(fact.recordedAt) });
    }
  }
  // A different few of them in each run: every one of them in every run would double the test's time.
  const all = [...new Map(clocks.map((c) => [JSON.stringify(c), c])).values()];
  return all.length <= EDGES_PER_RUN ? all : Array.from({ length: EDGES_PER_RUN }, (_, i) => all[(pick + i * 7919) % all.length]!);
};
const EDGES_PER_RUN = 8;
