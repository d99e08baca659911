import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { currentSchema, type EventType } from '../../events/catalogue.ts';
import { evolve } from '../../src/domain/plan/evolve.ts';
import { initialState, type RegisteredPlan } from '../../src/domain/plan/state.ts';
import { collect } from '../support/collect.ts';
import { openReadApp, type ReadApp } from './read-app.ts';
import { planStream } from '../../events/streams.ts';
import { toPlanFact } from '../../src/domain/plan/plan-fact.ts';
import { toLedgerFact } from '../../projections/ledger-fact.ts';
import { countsFromByDefinition } from './business-clock-definition.ts';

/**
 * Whatever correction the decider accepts, the views must still answer: a projection that
 * throws on corrected data takes every read of the ledger down with it. Corrections here
 * are aimed at every correctable event type, and at corrections (to any depth), with
 * values both sensible and hostile; the decider may refuse them, but never with a 500,
 * and after each one it accepts every view answers 200. Some also move the event's business
 * date (correctedEffectiveOn), alone or with changes, and some amend a moved date.
 */
const views = [
  '/plans',
  '/plans/p',
  '/organisations',
  '/reports/deadlines?from=2014-01&to=2031-12',
  '/reports/discrepancies',
  '/plans/p/timeline',
  '/plans/p?asOf=2026-11-23T12:00:00Z',
  '/plans/p/changes?from=2026-01-01T00:00:00Z&to=2026-11-24T00:00:00Z',
];

/** A recorded event; for a correction, the type its chain ends on and the event it names. */
type Recorded = { eventId: string; type: EventType; correctedType?: EventType | undefined; correctsId?: string | undefined };

/** One event of every type a correction can name, in plan p. */
const seed = async (r: ReadApp): Promise<Recorded[]> => {
  const recorded: Recorded[] = [];
  const add = async (type: EventType, url: string, body: object, corrects?: { type: EventType; id: string }) => {
    const { eventIds } = await r.post(url, body);
    recorded.push({ eventId: eventIds[0]!, type, correctedType: corrects?.type, correctsId: corrects?.id });
    return eventIds[0]!;
  };
  const action = (ref: string) => ({
    ref,
    text: `Action ${ref}`,
    sectionRef: '1',
    recommendationRefs: ['R1'],
    leadOrganisations: ['Dorset CCG'],
    due: { kind: 'date', date: '2016-10' },
    effectiveOn: '2015-03',
  });
  await add('PlanRegistered', '/plans', {
    planId: 'p',
    title: 'P',
    kind: 'other',
    owner: 'Dorset CCG',
    effectiveOn: '2015-03',
    ragLegend: [{ rating: 'Green', meaning: 'On track' }],
  });
  await add('SectionAdded', '/plans/p/sections', { sectionRef: '1', title: 'Access', effectiveOn: '2015-03' });
  await add('RecommendationRecorded', '/plans/p/recommendations', {
    ref: 'R1',
    text: 'Street triage',
    addressedTo: ['SWAST'],
    effectiveOn: '2015-03',
  });
  await add('RecommendationResponseRecorded', '/plans/p/recommendations/R1/responses', { respondent: 'Dorset CCG', response: 'Accepted' });
  await add('RecommendationAssured', '/plans/p/recommendations/R1/assurances', { judgement: 'assured', assuredBy: 'CQC' });
  const agreed = await add('ActionAgreed', '/plans/p/actions', action('1.1'));
  for (const ref of ['1.2', '1.3', '1.4']) await add('ActionAgreed', '/plans/p/actions', action(ref));
  await add('ActionLeadChanged', '/plans/p/actions/1.1/lead-changes', { to: ['SWAST'], partnersTo: ['Dorset Police'] });
  await add('DeadlineRevised', '/plans/p/actions/1.1/deadline-revisions', {
    to: { kind: 'date', date: '2017-03' },
    reason: 'Business case',
  });
  await add('ProgressUpdateRecorded', '/plans/p/actions/1.1/progress-updates', {
    narrative: 'Pilot running',
    reportedRag: { rating: 'Green' },
    effectiveOn: '2016-05',
  });
  await add('EvidenceLinked', '/plans/p/actions/1.1/evidence', { title: 'Pilot report', uri: 'https://example.org/pilot.pdf' });
  await add('ActionCompleted', '/plans/p/actions/1.2/completion', { completedOn: '2016-01' });
  await add('ActionSubsumed', '/plans/p/actions/1.3/subsumption', { into: { kind: 'action', ref: '1.1' }, reason: 'Same work' });
  await add('ActionWithdrawn', '/plans/p/actions/1.4/withdrawal', { reason: 'Duplicate' });
  await add('ActionReopened', '/plans/p/actions/1.4/reopening', { reason: 'Still needed' });
  await add(
    'EntryCorrected',
    '/plans/p/corrections',
    { correctedEventId: agreed, changes: { text: 'Pilot street triage' }, reason: 'Typo' },
    { type: 'ActionAgreed', id: agreed },
  );
  return recorded;
};

/** The data fields of a type, from its schema, plus one it does not have. */
const fieldsOf = (type: EventType): string[] => [...Object.keys((currentSchema(type) as z.ZodObject).shape), 'bogus'];

const orgLists = [['SWAST'], ['Dorset CCG'], ['Dorset Police', 'SWAST'], []];
const dues = [
  { kind: 'date', date: '2016-05' },
  { kind: 'date', date: '2017-03' },
  { kind: 'date', date: '2016-10' },
  { kind: 'ongoing', wording: 'Ongoing' },
  { kind: 'undated', wording: 'As per plan' },
];
const texts = ['Reworded', 'Reworded again', ''];
/** Values a field of that name might take, some within the rules and some not. */
const plausible: Record<string, unknown[]> = {
  title: texts,
  text: texts,
  reason: texts,
  narrative: texts,
  response: texts,
  rationale: texts,
  summary: texts,
  description: texts,
  source: texts,
  area: texts,
  ledByWording: texts,
  respondent: ['SWAST', ''],
  assuredBy: ['CQC'],
  owner: ['SWAST'],
  governanceBody: ['Board'],
  agreedBy: ['SWAST'],
  completedOn: ['2016-02', '2016-02-14', '2030-01', '2001-01', '2015-02-30'],
  correctedEffectiveOn: ['2015-03-10', '2016-01', '2016-06-30', '2030-01', '2001-01', '2015-02-30'],
  due: dues,
  to: [...dues, ...orgLists],
  from: [...dues, ...orgLists],
  leadOrganisations: orgLists,
  partnerOrganisations: orgLists,
  partnersTo: orgLists,
  partnersFrom: orgLists,
  addressedTo: orgLists,
  recommendationRefs: [['R1'], ['R99'], []],
  relatedActionRefs: [['1.2'], ['9.9']],
  intendedOutcomes: [['Fewer detentions'], []],
  into: [
    { kind: 'action', ref: '1.2' },
    { kind: 'action', ref: '1.1' },
    { kind: 'action', ref: '1.3' },
    { kind: 'action', ref: '9.9' },
    { kind: 'programme', name: 'The ACP' },
  ],
  reportedRag: [{ rating: 'Amber' }, { rating: 'Purple', meaning: 'Unheard of' }],
  metrics: [[{ description: 'Calls', value: 3 }], [{ value: 'x' }]],
  judgement: ['partially-assured', 'maybe'],
  kind: ['other', 'nonsense'],
  uri: ['https://example.org/x.pdf', 'not a uri'],
  sha256: ['a'.repeat(64), 'xyz'],
  ragLegend: [[{ rating: 'Red', meaning: 'Late' }]],
};
/** Junk for any field. */
const junk: unknown[] = [5, null, true, {}, [5], 'garbage', '9.9', { kind: 'date', date: '2015-13' }];

/** A correction attempt: which recorded event (by index) and raw material for its changes. */
const attempt = fc.record({
  pick: fc.nat(),
  // Half the attempts aim at a correction, so chains of corrections grow.
  atCorrection: fc.boolean(),
  // field index, value index, and whether to reach for junk (1 in 4)
  fields: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 2 }),
  shape: fc.constantFrom('own', 'nested', 'nested', 'nested', 'redirect'),
  other: fc.nat(),
  // A corrected business date for the event (index into the dates below), sometimes with no data changes.
  date: fc.option(fc.nat(), { nil: undefined, freq: 2 }),
  dateOnly: fc.boolean(),
});
/** Business dates a correction might move an event to: before agreement, between, after completion, future, impossible. */
const dates = ['2015-02', '2015-03-10', '2016-01-20', '2016-06', '2018-05', '2030-01', '2015-02-30'];
type Attempt = typeof attempt extends fc.Arbitrary<infer A> ? A : never;

/** The type a correction's chain ends on. */
const endType = (recorded: Recorded[], r: Recorded): EventType => r.correctedType ?? r.type;

const changesFor = (recorded: Recorded[], target: Recorded, a: Attempt): Record<string, unknown> => {
  const pickFields = (type: EventType) => {
    const names = fieldsOf(type);
    return Object.fromEntries(
      a.fields.map(([i, v, j]) => {
        const name = names[i % names.length]!;
        const pool = j === 0 ? junk : (plausible[name] ?? junk);
        return [name, pool[v % pool.length]];
      }),
    );
  };
  if (target.type !== 'EntryCorrected') return pickFields(target.type);
  if (a.shape === 'own') return pickFields('EntryCorrected');
  if (a.shape === 'redirect') {
    // Mostly to another event of the type it corrects, which may be allowed; sometimes to anything.
    const sameType = recorded.filter((r) => r.type === recorded.find((c) => c.eventId === target.correctsId)?.type);
    const pool = a.other % 3 === 0 || sameType.length === 0 ? recorded : sameType;
    return { correctedEventId: pool[a.other % pool.length]!.eventId };
  }
  // A correction of a correction of a correction amends what the middle one said to the first.
  const innerTarget = recorded.find((r) => r.eventId === target.correctsId);
  return innerTarget?.type === 'EntryCorrected'
    ? { changes: { changes: pickFields(endType(recorded, innerTarget)) } }
    : { changes: pickFields(endType(recorded, target)) };
};

const expectViewsAnswer = async (r: ReadApp, context: string) => {
  for (const url of views) {
    const res = await r.get(url);
    expect(res.statusCode, `${url} after ${context}: ${res.body.slice(0, 300)}`).toBe(200);
  }
};

/** The view agrees with the decider on what each action's deadline and leads now are, corrections and all. */
const expectViewAsDecided = async (r: ReadApp, context: string) => {
  const events = await collect(r.store.readStream(planStream('p')));
  const facts = events.map(toPlanFact);
  const decided = facts.reduce(evolve, initialState()) as RegisteredPlan;
  const view = (await r.get('/plans/p')).json() as {
    actions: { ref: string; agreedOn: string; currentDue: unknown; leadOrganisations: string[] }[];
  };
  for (const action of view.actions) {
    const state = decided.actions.get(action.ref)!;
    expect({ ref: action.ref, agreedOn: action.agreedOn, due: action.currentDue, leads: action.leadOrganisations }, context).toEqual({
      ref: state.ref,
      agreedOn: state.agreedOn,
      due: state.due,
      leads: state.leadOrganisations,
    });
  }
  // The timeline, ordered by business date, shows every event at the date the decider folds it at,
  // in the order the business clock counts them (business-clock-definition.ts).
  const timeline = (await r.get('/plans/p/timeline?order=effective')).json() as {
    entries: { eventId: string; effectiveOn: { date: string } }[];
  };
  const ledgerFacts = new Map(events.map((e) => [e.eventId, toLedgerFact(e)!]));
  const countsFrom = countsFromByDefinition([...ledgerFacts.values()]);
  const days = timeline.entries.map((e) => countsFrom(ledgerFacts.get(e.eventId)!));
  expect(days, context).toEqual([...days].sort());
  for (const entry of timeline.entries) {
    const overlay = decided.corrections.get(entry.eventId);
    if (overlay?.effectiveOn !== undefined)
      expect(entry.effectiveOn.date, `timeline of ${entry.eventId} after ${context}`).toBe(overlay.effectiveOn);
  }
};

describe('corrections the decider accepts never break a view', () => {
  it('refuses a correction of a correction that would break the original, and the views still answer', async () => {
    const r = await openReadApp();
    try {
      const recorded = await seed(r);
      const first = recorded.find((e) => e.type === 'EntryCorrected')!;
      const before = await r.store.count();
      for (const changes of [{ leadOrganisations: 5, due: null }, { due: 'garbage' }, { ref: '9.9' }]) {
        const res = await r.app.inject({
          method: 'POST',
          url: '/plans/p/corrections',
          payload: { correctedEventId: first.eventId, changes: { changes }, reason: 'x' },
        });
        expect(res.statusCode, res.body).toBe(422);
      }
      expect(await r.store.count()).toBe(before);
      await expectViewsAnswer(r, 'refused corrections');
      expect(
        (
          await r.app.inject({
            method: 'POST',
            url: '/plans/p/actions/1.1/deadline-revisions',
            payload: { to: { kind: 'date', date: '2018-01' }, reason: 'r' },
          })
        ).statusCode,
      ).toBe(201);
    } finally {
      await r.close();
    }
  });

  it('random corrections of every type, and of corrections, leave every view answering 200', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 4, maxLength: 12 }), async (attempts) => {
        const r = await openReadApp();
        try {
          const recorded = await seed(r);
          for (const a of attempts) {
            const corrections = recorded.filter((e) => e.type === 'EntryCorrected');
            const pool = a.atCorrection ? corrections : recorded;
            const target = pool[a.pick % pool.length]!;
            const date = a.date === undefined ? undefined : dates[a.date % dates.length];
            const changes = date !== undefined && a.dateOnly ? {} : changesFor(recorded, target, a);
            const payload = {
              correctedEventId: target.eventId,
              changes,
              reason: 'Typed wrongly',
              ...(date === undefined ? {} : { correctedEffectiveOn: date }),
            };
            const res = await r.app.inject({ method: 'POST', url: '/plans/p/corrections', payload });
            const context = `${target.type} ${JSON.stringify(changes)}${date === undefined ? '' : ` dated ${date}`}`;
            expect(res.statusCode, `${context}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
            if (res.statusCode !== 201) continue;
            recorded.push({
              eventId: res.json().eventIds[0] as string,
              type: 'EntryCorrected',
              correctedType: endType(recorded, target),
              correctsId: target.eventId,
            });
            if (process.env.CORRECTION_STATS) console.log('accepted', context);
            // Read your write: r.get waits for the position of the last r.post.
            await r.post('/plans/p/actions/1.4/progress-updates', { narrative: 'Still going' });
            await expectViewsAnswer(r, context);
            await expectViewAsDecided(r, context);
          }
        } finally {
          await r.close();
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  }, 120_000);
});
