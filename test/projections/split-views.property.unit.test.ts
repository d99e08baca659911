import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeParts } from '../../projections/every-plan/merge-parts.ts';
import { splitViews, type SplitView } from '../../projections/every-plan/split-views.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import type { PlanLines } from '../../projections/plan-status/plan-lines.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { action, due, plan, revision } from './plan-line-fixtures.ts';

/**
 * A view over every plan read in parts, as a split read reads it (split-read.ts): the plans cut
 * into chunks; those before the page's cursor each counted with the view's arguments; of the rest,
 * the first few read as one run with the view's arguments, each later chunk on its own with the
 * workers' arguments; and the parts joined (merge-parts.ts). On random plans, cuts,
 * runs and pages, the answer must be the view over all the plans at once.
 */
const directory = createOrganisationDirectory([{ name: 'South Western Ambulance Service', aliases: ['SWAST'] }]);
const NAMES = ['Dorset Police', 'SWAST', 'South Western Ambulance Service', 'Dorset CCG'];
const MONTHS = ['2015-11', '2016-02', '2016-05', '2016-08', '2016-12', '2017-03'];

const anAction = (ref: string) =>
  fc
    .record({
      deadline: fc.constantFrom(...MONTHS),
      revisedTo: fc.array(fc.constantFrom(...MONTHS), { maxLength: 4 }),
      lead: fc.constantFrom(...NAMES),
      partner: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
      status: fc.constantFrom('open', 'completed', 'subsumed', 'withdrawn'),
      evidence: fc.nat(2),
      green: fc.boolean(),
      late: fc.nat(2),
      afterDeadline: fc.nat(2),
    })
    .map((a) => {
      const deadlines = [due(a.deadline), ...a.revisedTo.map(due)];
      const completed = a.status === 'completed';
      return action(ref, a.deadline, {
        status: a.status as 'open',
        deadlines,
        currentDue: deadlines.at(-1)!,
        completedOn: completed ? '2016-06' : null,
        closedOn: a.status === 'open' ? null : '2016-06',
        leads: [a.lead],
        partners: a.partner ? [a.partner] : [],
        evidence: a.evidence,
        reportedRag: a.green ? { rating: 'Green', reportedOn: '2016-09-01' } : null,
        late: { count: a.late, maxLagDays: a.late * 40 },
        revisedAfterDeadline: Math.min(a.afterDeadline, a.revisedTo.length),
        details: {
          revisions: a.revisedTo.map((to, i) => revision(i === 0 ? a.deadline : a.revisedTo[i - 1]!, to)),
          lateRecords: [],
        },
      });
    });

const somePlans = fc
  .array(
    fc.record({
      actions: fc.array(fc.constant(0), { maxLength: 4 }).chain((slots) => fc.tuple(...slots.map((_, i) => anAction(`1.${i + 1}`)))),
      awaiting: fc.array(fc.record({ to: fc.constantFrom(...NAMES), judgement: fc.constantFrom(null, 'assured', 'partially assured') }), {
        maxLength: 2,
      }),
    }),
    { minLength: 1, maxLength: 14 },
  )
  .map((plans) =>
    plans.map(({ actions, awaiting }, i): PlanLines => ({
      ...plan(`plan-${String(i).padStart(2, '0')}`, actions),
      recommendations: awaiting.map((r, j) => ({
        ref: `R${j + 1}`,
        text: `Recommendation ${j + 1}`,
        addressedTo: [r.to],
        judgement: r.judgement,
      })),
    })),
  );

const aPage = fc.oneof(
  fc.constant(WHOLE_REPORT),
  fc.record({
    limit: fc.integer({ min: 1, max: 6 }),
    after: fc.option(fc.constantFrom('plan-00', 'plan-03', 'plan-06', 'plan-10', 'plan-2'), { nil: undefined }),
  }),
);

/** A view's arguments at a day, with a page where the view lists one. */
const someArgs = (today: string) =>
  fc.oneof(
    fc.constant({ view: 'organisations' as const, args: { today } }),
    fc.constant({ view: 'planTotals' as const, args: { today } }),
    fc.record({
      view: fc.constant('account' as const),
      args: fc.record({ today: fc.constant(today), name: fc.constantFrom(...NAMES), page: aPage }),
    }),
    fc.record({
      view: fc.constant('deadlines' as const),
      args: fc.record({
        today: fc.constant(today),
        window: fc.record({
          from: fc.constant('2016-01-01'),
          to: fc.constantFrom('2016-06-30', '2016-12-31'),
          organisation: fc.option(fc.constantFrom(...NAMES), { nil: undefined }),
        }),
        page: aPage,
      }),
    }),
    fc.record({ view: fc.constant('discrepancies' as const), args: fc.record({ today: fc.constant(today), page: aPage }) }),
  );

describe('a view over every plan read in parts', () => {
  it('equals the view over all the plans at once, whatever the cut into chunks, the main run and the page', () => {
    fc.assert(
      fc.property(
        somePlans,
        fc.constantFrom('2016-03-01', '2016-10-15', '2017-06-30').chain((today) => someArgs(today)),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.nat(),
        (plans, { view: name, args }, cutAt, mainRun) => {
          const view = splitViews[name] as unknown as SplitView<typeof args, unknown>;
          const cuts = [...new Set(cutAt.map((n) => n % plans.length))].sort((a, b) => a - b).filter((n) => n > 0);
          const chunks = [0, ...cuts].map((start, i) => plans.slice(start, [...cuts, plans.length][i]));
          // The chunks before the first holding a plan after the page's cursor are only counted, with the page.
          const cursor = view.paged?.cursor(args);
          const firstListed = Math.max(
            0,
            chunks.findIndex((chunk, i) => i === chunks.length - 1 || cursor === undefined || chunk.at(-1)!.planId > cursor),
          );
          const before = chunks.slice(0, firstListed).map((chunk) => view.run(chunk, args, directory));
          const listable = chunks.slice(firstListed);
          const claimed = mainRun % (listable.length + 1);
          const workerArgs = view.paged?.countOnly(args) ?? args;
          const first = view.run(listable.slice(0, claimed).flat(), args, directory);
          const later = listable.slice(claimed).map((chunk) => view.run(chunk, workerArgs, directory));
          const lastOfRun = [...chunks.slice(0, firstListed), ...listable.slice(0, claimed)].flat().at(-1)?.planId;
          const readRest = (after: string | undefined) =>
            view.run(
              plans.filter((p) => after === undefined || p.planId > after),
              args,
              directory,
            );
          expect(mergeParts(view, args, workerArgs, before, first, later, lastOfRun, readRest)).toEqual(view.run(plans, args, directory));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 20) * 50 },
    );
  });

  it('gives an account whose page is full a next page when a later part names it only in a recommendation awaiting assurance', () => {
    const view = splitViews.account as unknown as SplitView<object, unknown>;
    const plans = [
      plan('plan-a', [action('1.1', '2016-02'), action('1.2', '2016-05')]),
      {
        ...plan('plan-b', []),
        recommendations: [{ ref: 'R1', text: 'Recommendation 1', addressedTo: ['Dorset Police'], judgement: null }],
      },
    ];
    const args = { today: '2016-10-15', name: 'Dorset Police', page: { limit: 1 } };
    const workerArgs = view.paged!.countOnly(args)!;
    const first = view.run([plans[0]!], args, directory);
    const later = [view.run([plans[1]!], workerArgs, directory)];
    const whole = view.run(plans, args, directory);
    expect(whole).toMatchObject({ next: 'plan-a', recommendationsAwaitingAssurance: 1 });
    expect(mergeParts(view, args, workerArgs, [], first, later, 'plan-a', () => undefined)).toEqual(whole);
  });
});
