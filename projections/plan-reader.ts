import { londonDay } from '../src/domain/calendar.ts';
import type { EventStore } from '../src/store/port.ts';
import { planStream } from '../events/streams.ts';
import { toLedgerFact, type LedgerFact } from './ledger-fact.ts';
import type { PlanDoc } from './plan-status/document.ts';
import { evolvePlanStatus } from './plan-status/evolve.ts';
import { planDetail } from './plan-status/plan-view.ts';
import { planStatusProjection } from './plan-status/projection.ts';
import { ledgerPositionAt } from './ledger-position-at.ts';
import type { ReadStore, Snapshot } from './runner/read-store.ts';

/** A snapshot whose own event lies past the prefix asked for. */
const outside = Symbol('outside the prefix');

/**
 * Where every read gets its plan documents: the live read model, or, with an instant,
 * the same evolve folded over the ledger up to the last position recorded by then (see
 * ledger-position-at.ts), so an "as of" answer is always a state the ledger really had.
 */
export const createPlanReader = ({ store, readStore, clock }: { store: EventStore; readStore: ReadStore; clock: () => Date }) => {
  const name = planStatusProjection.name;
  const positionAt = (asOf: string) => ledgerPositionAt(store, asOf);

  /** A plan's facts in order, up to the position an instant resolves to (all of them without one). */
  async function* planFacts(planId: string, asOf?: string): AsyncGenerator<LedgerFact> {
    const upTo = asOf === undefined ? undefined : await positionAt(asOf);
    if (asOf !== undefined && upTo === undefined) return;
    for await (const event of store.readStream(planStream(planId))) {
      if (upTo !== undefined && event.position > upTo) return;
      const fact = toLedgerFact(event);
      if (fact) yield fact;
    }
  }

  /**
   * A plan's document folded up to a position, from a snapshot when given one. The snapshot
   * was chosen by its recordedAt; it is used only if its own event lies within the prefix
   * (always, unless the ledger's clock once stepped back), else undefined is returned as
   * `outside` and the caller folds from the start.
   */
  const foldPlan = async (planId: string, upTo: bigint, snapshot?: Snapshot): Promise<PlanDoc | undefined | typeof outside> => {
    let doc: PlanDoc | undefined;
    const fromRevision = snapshot ? BigInt(snapshot.revision) : 0n;
    for await (const event of store.readStream(planStream(planId), { fromRevision })) {
      if (event.position > upTo) return snapshot && event.revision === fromRevision ? outside : doc;
      if (snapshot && event.revision === fromRevision) {
        doc = JSON.parse(snapshot.doc) as PlanDoc;
        continue;
      }
      const fact = toLedgerFact(event);
      if (fact) doc = evolvePlanStatus(doc, fact);
    }
    return doc;
  };

  /**
   * The live plan view as JSON, kept per plan until the runner rewrites that plan's document
   * or London's day changes: a busy plan is read far more often than it is written.
   */
  const views = new Map<string, { today: string; revision: number; body: string; retraction: PlanDoc['retraction'] }>();
  const MAX_VIEWS = 1000;
  const forget = (planIds: string[]) => {
    for (const planId of planIds) views.delete(planId);
  };

  /** The live document, read synchronously: nothing can change it between reading and caching its view. */
  const liveDoc = (planId: string): PlanDoc | undefined => {
    const json = readStore.loadDocument(name, planId);
    return json === undefined ? undefined : (JSON.parse(json) as PlanDoc);
  };

  return {
    planFacts,
    forget,
    liveView(planId: string, today: string): { revision: number; body: string; retraction: PlanDoc['retraction'] } | undefined {
      const cached = views.get(planId);
      if (cached && cached.today === today) return cached;
      const doc = liveDoc(planId);
      if (!doc) return undefined;
      const view = {
        today,
        revision: doc.revision,
        body: JSON.stringify({ ...planDetail(doc, today), asOf: null }),
        retraction: doc.retraction ?? null,
      };
      if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value!);
      views.set(planId, view);
      return view;
    },
    /** "Today" for computed statuses: the London day of the instant asked about (never later than now). */
    today(asOf?: string): string {
      const now = clock();
      return londonDay(asOf !== undefined && asOf < now.toISOString() ? asOf : now);
    },
    /** The ledger position an instant resolves to: what every "as of" answer includes. */
    positionAt,
    async planDoc(planId: string, asOf?: string): Promise<PlanDoc | undefined> {
      if (asOf === undefined) return liveDoc(planId);
      const upTo = await positionAt(asOf);
      if (upTo === undefined) return undefined;
      // Start from the latest snapshot recorded by then (a fold of the same evolve), and fold the rest.
      const snapshot = readStore.latestSnapshot(name, planId, asOf);
      const fromSnapshot = snapshot && (await foldPlan(planId, upTo, snapshot));
      return fromSnapshot !== undefined && fromSnapshot !== outside
        ? fromSnapshot
        : (foldPlan(planId, upTo) as Promise<PlanDoc | undefined>);
    },
    /**
     * Every plan that is not retracted, live or as of an instant (the whole ledger up to then is folded: an
     * audit query, not a fast one). Every list and report reads plans here, so a retracted plan, and any
     * organisation only it names, leaves them all; as of an instant before its retraction it is still there.
     */
    async planDocs(asOf?: string): Promise<PlanDoc[]> {
      const current = (doc: PlanDoc) => !doc.retraction;
      if (asOf === undefined) return [...readStore.documents(name)].map((json) => JSON.parse(json) as PlanDoc).filter(current);
      const docs = new Map<string, PlanDoc>();
      const upTo = await positionAt(asOf);
      if (upTo === undefined) return [];
      for await (const event of store.readAll({ limit: Number(upTo) + 1 })) {
        if (event.position > upTo) break;
        const fact = toLedgerFact(event);
        if (!fact) continue;
        const doc = evolvePlanStatus(docs.get(fact.planId), fact);
        if (doc) docs.set(fact.planId, doc);
      }
      return [...docs.values()].filter(current).sort((a, b) => (a.planId < b.planId ? -1 : 1));
    },
  };
};
export type PlanReader = ReturnType<typeof createPlanReader>;
