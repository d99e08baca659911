import { currentVersion, type EventType } from '../../events/catalogue.ts';
import type { NewEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../src/store/port.ts';

/**
 * Writes a large, plausible ledger straight to a store (no decider: this is for rebuild
 * benches and crash tests, which need volume fast). Plans are interleaved in the global
 * order the way many users' work would be. Every event's data matches its current schema,
 * so the projections' fast read path is exercised honestly. Deterministic for a seed.
 */
export const GENERATOR_VERSION = 3;

const leads = ['SWAST', 'SWASFT', 'Dorset CCG', 'Dorset HealthCare', 'Dorset Police', 'Local Authorities', 'Public Health Dorset', 'BTP'];
const actor = { id: 'gen', name: 'Generated', organisation: 'Dorset CCG', role: 'operator' };

const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x80000000;
};

interface PlanCursor {
  planId: string;
  emitted: number;
  actions: { ref: string; closed: boolean; events: { eventId: string; type: string }[] }[];
}

export interface GenerateOptions {
  events: number;
  plans: number;
  /** Events per append: large appends generate quickly. */
  perAppend?: number;
  /** One plan that gets this many events (the as-of bench's long plan). */
  longPlanEvents?: number;
  seed?: number;
  /** For a second run on the same ledger: plan ids start with this (default "plan")… */
  planPrefix?: string;
  /** …and event ids, command ids and recorded times carry on from this sequence number. */
  firstSequence?: number;
  /**
   * Events recorded over ten years (March 2015 to December 2024) and dated as they happen, one
   * in twenty recorded late (up to two years after it happened), for benches of the two clocks.
   * Without it every event is recorded in 2024 and nearly every one is dated August 2017, as the
   * long-standing benches expect.
   */
  spreadBusinessDates?: boolean;
  /** With spread dates, the share of events recorded late (default one in twenty); 0 records every fact in business order. */
  lateShare?: number;
}

export const generatePlanLedger = async (store: EventStore, options: GenerateOptions): Promise<{ longPlanId?: string }> => {
  const rnd = random(options.seed ?? 42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const perAppend = options.perAppend ?? 200;
  const start = Date.parse('2024-01-01T09:00:00.000Z');
  let sequence = options.firstSequence ?? 0;
  const firstSequence = options.firstSequence ?? 0;
  const SPREAD_MONTHS = 118;
  const spreadStart = Date.parse('2015-03-01T09:00:00.000Z');
  const spreadFraction = (n: number) => (n - firstSequence) / options.events;
  /** When dates are spread, an event is recorded at its place in ten years… */
  const spreadRecordedAt = (n: number) => spreadStart + spreadFraction(n) * SPREAD_MONTHS * 30.436875 * 86_400_000;
  /** …and happened in the month it was recorded in, or, one time in twenty, up to two years before. */
  const spreadMonth = (n: number) => {
    const late = rnd() < (options.lateShare ?? 0.05) ? 1 + Math.floor(rnd() * 24) : 0;
    const month = Math.max(0, Math.floor(spreadFraction(n) * SPREAD_MONTHS) - late);
    return `${2015 + Math.floor((month + 2) / 12)}-${String(((month + 2) % 12) + 1).padStart(2, '0')}`;
  };
  const make = (plan: PlanCursor, type: EventType, data: Record<string, unknown>, dated = '2017-08'): NewEvent => {
    const n = sequence++;
    const effective = options.spreadBusinessDates && plan.emitted > 23 ? spreadMonth(n) : dated;
    return {
      eventId: `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`,
      type,
      schemaVersion: currentVersion(type),
      recordedAt: new Date(options.spreadBusinessDates ? spreadRecordedAt(n) : start + n * 1000).toISOString(),
      effectiveOn: { date: effective, precision: effective.length === 7 ? 'month' : 'day' },
      actor,
      commandId: `gen-${n}`,
      correlationId: `gen-${n}`,
      provenance: { source: 'cli' },
      data,
    };
  };
  const next = (plan: PlanCursor): NewEvent => {
    plan.emitted++;
    if (plan.emitted === 1)
      return make(
        plan,
        'PlanRegistered',
        {
          planId: plan.planId,
          title: `Crisis care plan ${plan.planId}`,
          kind: 'crisis-care-concordat',
          owner: 'Dorset CCG',
          ragLegend: [{ rating: 'Green', meaning: 'On track' }],
        },
        '2015-03',
      );
    if (plan.emitted === 2) return make(plan, 'SectionAdded', { sectionRef: '1', title: 'Access to support before crisis' }, '2015-03');
    if (plan.emitted === 3)
      return make(plan, 'RecommendationRecorded', { ref: 'R1', text: 'Street triage everywhere', addressedTo: ['SWAST'] }, '2015-03');
    if (plan.emitted <= 23 || rnd() < 0.01) {
      const ref = `1.${plan.actions.length + 1}`;
      const event = make(
        plan,
        'ActionAgreed',
        {
          ref,
          text: `Action ${ref}: agree and pilot a crisis pathway`,
          sectionRef: '1',
          recommendationRefs: ['R1'],
          leadOrganisations: [pick(leads)],
          partnerOrganisations: [pick(leads)],
          intendedOutcomes: ['Fewer people detained in police cells'],
          due: { kind: 'date', date: `${2015 + Math.floor(rnd() * 12)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}` },
          relatedActionRefs: [],
        },
        '2015-03',
      );
      plan.actions.push({ ref, closed: false, events: [{ eventId: event.eventId, type: event.type }] });
      return event;
    }
    const action = pick(plan.actions);
    const remember = (e: NewEvent) => (action.events.push({ eventId: e.eventId, type: e.type }), e);
    if (action.closed) {
      action.closed = false;
      return make(plan, 'ActionReopened', { ref: action.ref, reason: 'Further work agreed at the board' });
    }
    const roll = rnd();
    if (roll < 0.6)
      return remember(
        make(plan, 'ProgressUpdateRecorded', {
          target: { kind: 'action', ref: action.ref },
          narrative: 'AUG 2017 The pilot has been completed and evaluated; the report goes to the next board.',
          reportedRag: { rating: pick(['Green', 'Amber', 'Red']) },
          metrics: [],
        }),
      );
    if (roll < 0.72)
      return remember(
        make(plan, 'DeadlineRevised', {
          ref: action.ref,
          from: { kind: 'date', date: '2015-10' },
          to: { kind: 'date', date: `${2016 + Math.floor(rnd() * 10)}-03` },
          reason: 'Delayed by recruitment',
          agreedBy: 'Concordat board',
        }),
      );
    if (roll < 0.82)
      return remember(
        make(plan, 'EvidenceLinked', {
          target: { kind: 'action', ref: action.ref },
          title: 'Board minutes',
          uri: 'https://example.org/minutes.pdf',
        }),
      );
    if (roll < 0.87) return remember(make(plan, 'ActionLeadChanged', { ref: action.ref, from: ['Dorset CCG'], to: [pick(leads)] }));
    if (roll < 0.9) {
      const target = action.events[0]!; // the agreement: its wording is what gets corrected
      return make(plan, 'EntryCorrected', {
        correctedEventId: target.eventId,
        correctedType: target.type,
        changes: { text: `Action ${action.ref} (corrected wording)` },
        reason: 'Typed from the wrong row',
      });
    }
    action.closed = true;
    const completed = make(plan, 'ActionCompleted', { ref: action.ref, completedOn: '2017-09' }, '2017-09');
    completed.data = { ...completed.data, completedOn: completed.effectiveOn.date };
    return remember(completed);
  };

  const plans: PlanCursor[] = Array.from({ length: options.plans }, (_, i) => ({
    planId: `${options.planPrefix ?? 'plan'}-${String(i).padStart(5, '0')}`,
    emitted: 0,
    actions: [],
  }));
  const longPlan = options.longPlanEvents ? plans[0] : undefined;
  // The other plans share what the long plan leaves, the first few taking one more each so the total is exact.
  const others = options.plans - (longPlan ? 1 : 0);
  const share = options.events - (options.longPlanEvents ?? 0);
  const quota = (plan: PlanCursor, index: number) => {
    if (plan === longPlan) return options.longPlanEvents!;
    const rank = longPlan ? index - 1 : index;
    return Math.floor(share / others) + (rank < share % others ? 1 : 0);
  };
  let written = 0;
  let pending: Promise<unknown>[] = [];
  while (written < options.events) {
    let progressed = false;
    for (const [index, plan] of plans.entries()) {
      const want = Math.min(perAppend, quota(plan, index) - plan.emitted, options.events - written);
      if (want <= 0) continue;
      progressed = true;
      const events = Array.from({ length: want }, () => next(plan));
      written += want;
      pending.push(store.append({ stream: `plan-${plan.planId}`, events, expectedRevision: 'any', commandId: `gen-append-${sequence}` }));
      if (pending.length >= 50) {
        await Promise.all(pending);
        pending = [];
      }
    }
    if (!progressed) break;
  }
  await Promise.all(pending);
  return longPlan ? { longPlanId: longPlan.planId } : {};
};
