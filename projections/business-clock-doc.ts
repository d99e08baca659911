import { planStream } from '../events/streams.ts';
import type { EventStore } from '../src/store/port.ts';
import { businessDatesProjection, dayOfFact, keepsDatesInForce, type BusinessDatesDoc } from './business-dates/projection.ts';
import { businessDay } from './history/business-days.ts';
import { foldPlanFromLedger } from './ledger-fold.ts';
import { toLedgerFact, type LedgerFact } from './ledger-fact.ts';
import type { PlanDoc, RevisionNotCounted } from './plan-status/document.ts';
import { leftOutBeforeWeighed, revisionNotCounted, weighedEntryRef, withRevisionsNotCounted } from './plan-status/revisions-not-counted.ts';
import { evolvePlanStatus } from './plan-status/evolve.ts';
import { planStatusProjection } from './plan-status/projection.ts';
import type { ReadStore } from './runner/read-store.ts';
import { unpackSnapshot } from './runner/snapshot-codec.ts';

/** How many of a stream's first `known` events lie at or before a ledger position: a binary search, one event read a step. */
const eventsUpTo = async (store: EventStore, stream: string, upTo: bigint, known: number): Promise<number> => {
  const positionOf = async (revision: number) => {
    for await (const event of store.readStream(stream, { fromRevision: BigInt(revision), limit: 1 })) return event.position;
    throw new Error(`${stream} has no event at revision ${revision}`);
  };
  // Revisions below lo are at or before the position; those from hi on are after it.
  let lo = 0;
  let hi = known;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await positionOf(mid)) <= upTo) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * One plan's document at an `effectiveOn`, as the ledger knows it now (or at an `asOf` position): equal to folding the
 * plan's facts that count then (select-facts.ts), without reading them all.
 *
 * The facts that count are a prefix of the stream — every event up to the first one dated after
 * the effectiveOn — and, after it, the few dated by then but recorded later (and corrections).
 * So the fold starts from the latest ledger snapshot within the prefix (one every 100 events),
 * reads the rest of the prefix, then only the later events that count, which the business-dates
 * read model names by revision (EventStore.readRevisions: one query a page on SQLite). Events the
 * read models have not applied yet are read from the ledger and dated as they come. When a
 * correction may have moved a business date, the whole stream is folded as the definition does.
 */
export const planDocOnBusinessDate = async (
  { store, readStore }: { store: EventStore; readStore: ReadStore },
  planId: string,
  effectiveOn: string,
  upTo?: bigint,
): Promise<PlanDoc | undefined> => {
  const foldWhole = () => foldPlanFromLedger(store, planId, upTo, effectiveOn);
  const json = readStore.loadDocument(businessDatesProjection.name, planId);
  if (json === undefined) return foldWhole();
  const dated = JSON.parse(json) as BusinessDatesDoc;
  // A model folded before the rule that nothing counts ahead of its action has no `broughtIn`: its days may be early.
  if (dated.foldWhole || dated.broughtIn === undefined || dated.deadlineRevisions === undefined) return foldWhole();
  const broughtIn = dated.broughtIn;
  const stream = planStream(planId);
  // At an asOf, only the plan's events up to its position count: the model's dates are cut there.
  const recorded = upTo === undefined ? dated.days.length : await eventsUpTo(store, stream, upTo, dated.days.length);
  const days = dated.days.slice(0, recorded);
  const indexed = days.length;

  // Events recorded since the read model's checkpoint (up to the asOf position): usually none, read in one query.
  const newer: LedgerFact[] = [];
  if (recorded === dated.days.length)
    for await (const event of store.readStream(stream, { fromRevision: BigInt(indexed), toPosition: upTo })) {
      const fact = toLedgerFact(event)!;
      if (!keepsDatesInForce(fact, days.length)) return foldWhole();
      days.push(dayOfFact(fact, broughtIn));
      newer.push(fact);
    }

  const cutoff = businessDay(effectiveOn);
  const counts = (day: number | null | undefined) => day === null || (day !== undefined && day <= cutoff);
  let prefix = days.findIndex((day) => !counts(day));
  if (prefix === -1) prefix = days.length;
  const countsAt = (revision: number) => revision < prefix || counts(days[revision]);
  const snapshot = prefix === 0 ? undefined : readStore.snapshotAtOrBefore(planStatusProjection.name, planId, prefix - 1);
  let doc = snapshot && (unpackSnapshot(snapshot.doc) as PlanDoc);
  const start = snapshot ? snapshot.revision + 1 : 0;

  const wanted: bigint[] = [];
  for (let revision = start; revision < indexed; revision++) if (countsAt(revision)) wanted.push(BigInt(revision));
  // The latest revision or closure of each action the document holds after the prefix: the revisions it leaves out before
  // one of them are weighed with it (plan-status/revisions-not-counted.ts). Before the prefix every revision counts.
  const latestWeighed = new Map<string, number>();
  const fold = (fact: LedgerFact) => {
    doc = evolvePlanStatus(doc, fact);
    const ref = fact.revision >= prefix ? weighedEntryRef(fact) : undefined;
    if (ref !== undefined) latestWeighed.set(ref, fact.revision);
  };
  for await (const event of store.readRevisions(stream, wanted)) fold(toLedgerFact(event)!);
  // The snapshot may stand past the business-dates read model's checkpoint (each projection has its own).
  for (const fact of newer) if (fact.revision >= start && countsAt(fact.revision)) fold(fact);
  if (latestWeighed.size === 0) return doc;
  const left = [
    ...dated.deadlineRevisions.map(([revision, ref]) => ({ revision, ref })),
    ...newer.flatMap((fact) => (fact.type === 'DeadlineRevised' ? [{ revision: fact.revision, ref: fact.data.ref }] : [])),
  ].filter((r) => !countsAt(r.revision));
  const wantedLeft = leftOutBeforeWeighed(left, latestWeighed).map((r) => BigInt(r.revision));
  const notCounted: RevisionNotCounted[] = [];
  for await (const event of store.readRevisions(stream, wantedLeft)) notCounted.push(revisionNotCounted(toLedgerFact(event)!)!);
  return withRevisionsNotCounted(doc, notCounted);
};
