/**
 * How long the pages take to render for a large plan: 150 actions in 10 sections and 10,000
 * events, recorded through the real command handler (so every rule ran), then read through
 * the real app with a signed-in session, one request at a time (render time, not throughput).
 *
 *   npm run bench -- web            (BENCH_WEB_EVENTS, BENCH_WEB_REQUESTS to change)
 *
 * Measured in the same run: the plan page, the first page of the busiest action's history
 * (the history pages: it folds the plan's whole timeline but renders 50 entries), and, as the
 * baseline, the API's GET /plans/:planId for the same plan (JSON of the same read model, the
 * same audited read). Targets: plan page p95 ≤ 50 ms; the history page is reported beside it.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createAccessControl, defaultAccessSettings } from '../src/access/access-control.ts';
import { createCommandHandler } from '../src/commands/command-path.ts';
import type { PlanCommand } from '../src/domain/plan/commands.ts';
import { buildApp } from '../src/app/http/app.ts';
import { AgreeActionBody } from '../src/domain/plan/actions/http/action-routes.ts';
import { AddSectionBody, RegisterPlanBody } from '../src/domain/plan/registration/http/registration-routes.ts';
import { openBackend } from '../src/backend/open-backend.ts';
import type { EventStore } from '../src/store/port.ts';
import { createOrganisationAliases } from '../src/organisations/organisation-aliases.ts';
import { openReadModels } from '../projections/read-models.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';

const EVENTS = Number(process.env.BENCH_WEB_EVENTS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_WEB_REQUESTS ?? 200);
const ACTIONS = 150;
const SECTIONS = 10;
const operator = { id: 'bench', name: 'Bench operator', organisation: 'NHS Dorset Clinical Commissioning Group', role: 'operator' };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The plan, written command by command through the decider. Action 1.1 is the busiest, so its history has many pages. */
const recordPlan = async (store: EventStore) => {
  const handle = createCommandHandler({ store });
  let n = 0;
  // Command data as the API's request schemas give it (defaults filled in), so the decider sees what it always sees.
  const parse: Record<string, { parse: (v: unknown) => unknown }> = {
    RegisterPlan: RegisterPlanBody,
    AddSection: AddSectionBody,
    AgreeAction: AgreeActionBody,
  };
  const run = (raw: PlanCommand, effectiveOn?: string) => {
    const command = { ...raw, data: parse[raw.type]?.parse(raw.data) ?? raw.data } as PlanCommand;
    return handle('bench', command, {
      actor: operator,
      commandId: `bench-${n++}`,
      freshCommandId: true,
      correlationId: 'bench',
      provenance: { source: 'cli' },
      effectiveOn,
    });
  };
  await run(
    {
      type: 'RegisterPlan',
      data: {
        planId: 'bench',
        title: 'Bench crisis care plan',
        kind: 'crisis-care-concordat',
        owner: 'Dorset CCG',
        ragLegend: [{ rating: 'Green', meaning: 'On track' }],
      },
    } as PlanCommand,
    '2015-01',
  );
  for (let s = 1; s <= SECTIONS; s++)
    await run({ type: 'AddSection', data: { sectionRef: String(s), title: `Section ${s}` } } as PlanCommand, '2015-01');
  const refs: string[] = [];
  for (let a = 0; a < ACTIONS; a++) {
    const ref = `${(a % SECTIONS) + 1}.${Math.floor(a / SECTIONS) + 1}`;
    refs.push(ref);
    await run(
      {
        type: 'AgreeAction',
        data: {
          ref,
          sectionRef: String((a % SECTIONS) + 1),
          text: `Action ${ref}: improve crisis care pathway step ${a}`,
          leadOrganisations: ['Dorset CCG', 'Dorset HealthCare'],
          due: { kind: 'date', date: `20${16 + (a % 8)}-0${1 + (a % 9)}` },
        },
      } as PlanCommand,
      '2015-02',
    );
  }
  const remaining = EVENTS - n;
  for (let i = 0; i < remaining; i++) {
    // A tenth of the updates go to 1.1; the rest spread over every action.
    const ref = i % 10 === 0 ? '1.1' : refs[i % refs.length]!;
    const month = `20${16 + ((i >> 4) % 8)}-${String(1 + (i % 12)).padStart(2, '0')}`;
    if (i % 97 === 0)
      await run(
        {
          type: 'ReviseDeadline',
          data: { ref, to: { kind: 'date', date: `2025-${String(1 + (i % 12)).padStart(2, '0')}` }, reason: `Revised at review ${i}` },
        } as PlanCommand,
        month,
      );
    else if (i % 13 === 0)
      await run(
        {
          type: 'LinkEvidence',
          data: { target: { kind: 'action', ref }, title: `Minutes ${i}`, uri: `https://example.org/minutes/${i}` },
        } as PlanCommand,
        month,
      );
    else
      await run(
        {
          type: 'RecordProgressUpdate',
          data: {
            target: { kind: 'action', ref },
            narrative: `Update ${i}: progress on the pathway, meeting held and actions agreed.`,
            reportedRag: { rating: 'Green' },
          },
        } as PlanCommand,
        month,
      );
  }
  return n;
};

const time = async (
  label: string,
  call: () => Promise<{ statusCode: number; body: string }>,
  before?: () => Promise<unknown>,
  requests = REQUESTS,
) => {
  for (let i = 0; i < 10; i++) await call(); // warm up
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    await before?.();
    const started = performance.now();
    const res = await call();
    samples.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`${label} answered ${res.statusCode}`);
    bytes = res.body.length;
  }
  samples.sort((a, b) => a - b);
  return { label, p50: percentile(samples, 50), p95: percentile(samples, 95), kib: bytes / 1024 };
};

export const run = async () => {
  const dir = makeTempDir('web-bench-');
  const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
  const store = backend.events;
  const organisations = createOrganisationAliases(backend.learnedAliases);
  const access = createAccessControl({
    keys: backend.keys,
    log: backend.accessLog,
    directory: organisations,
    settings: { ...defaultAccessSettings, rateLimit: { max: 1_000_000, windowMs: 60_000 } },
  });
  const started = performance.now();
  const written = await recordPlan(store);
  console.log(`recorded ${written} events for one plan of ${ACTIONS} actions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const readModels = openReadModels({ store, workerReads: backend.workerReads, dataDir: dir.path, directory: organisations });
  await readModels.runner.start();
  const app = await buildApp({
    store,
    access,
    readModels,
    organisationAliases: organisations,
    web: { sessions: { secret: new Uint8Array(32).fill(1), ttlSeconds: 3600 } },
  });
  await app.ready();
  try {
    const key = (await access.keys.create({ name: 'Bench viewer', role: 'viewer', organisation: 'Dorset CCG', createdBy: 'bench' })).key;
    const signInPage = await app.inject({ method: 'GET', url: '/web/sign-in' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)![1]!;
    const csrfCookie = (signInPage.cookies as { name: string; value: string }[]).find((c) => c.name === '_csrf')!.value;
    const signedIn = await app.inject({
      method: 'POST',
      url: '/web/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `_csrf=${csrfCookie}` },
      payload: new URLSearchParams({ _csrf: csrf, apiKey: key, next: '/web' }).toString(),
    });
    const session = (signedIn.cookies as { name: string; value: string }[]).find((c) => c.name === 'al_session')!.value;
    let changes = 0;
    const change = async () => {
      const result = await createCommandHandler({ store })(
        'bench',
        {
          type: 'RecordProgressUpdate',
          data: { target: { kind: 'action', ref: '1.1' }, narrative: `Change ${changes++}`, metrics: [] },
        } as PlanCommand,
        {
          actor: operator,
          commandId: `change-${changes}`,
          freshCommandId: true,
          correlationId: 'bench',
          provenance: { source: 'cli' },
        },
      );
      await readModels.runner.waitFor(result.lastPosition, 5000);
    };
    const page = (url: string) => () => app.inject({ method: 'GET', url, headers: { cookie: `al_session=${session}` } });
    if (process.env.BENCH_WEB_DUMP)
      (await import('node:fs')).writeFileSync(process.env.BENCH_WEB_DUMP, (await page('/web/plans/bench/actions/1.1')()).body);
    const results = [
      await time('API GET /plans/bench (JSON, baseline)', () =>
        app.inject({ method: 'GET', url: '/plans/bench', headers: { authorization: `Bearer ${key}` } }),
      ),
      await time('plan page /web/plans/bench', page('/web/plans/bench')),
      await time('history page /web/plans/bench/actions/1.1 (first 50 entries)', page('/web/plans/bench/actions/1.1')),
      await time('history page /web/plans/bench/actions/2.1', page('/web/plans/bench/actions/2.1')),
      // After every change the kept model and the cached timeline are out of date: the first view pays for them.
      await time('plan page, first view after a change', page('/web/plans/bench'), change, 50),
      await time('history page 1.1, first view after a change', page('/web/plans/bench/actions/1.1'), change, 50),
    ];
    const baseline = results[0]!.p50;
    console.log(
      `\nPage render time, one request at a time (${REQUESTS} requests each after 10 to warm up), ${written} events, ${ACTIONS} actions; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.table(
      results.map((r) => ({
        page: r.label,
        'p50 ms': r.p50.toFixed(1),
        'p95 ms': r.p95.toFixed(1),
        'p50 / API p50': (r.p50 / baseline).toFixed(2),
        'size KiB': r.kib.toFixed(0),
      })),
    );
    const plan = results[1]!;
    console.log(`plan page p95 ${plan.p95.toFixed(1)} ms: ${plan.p95 <= 50 ? 'within' : 'OVER'} the 50 ms target`);
  } finally {
    await app.close();
    await readModels.close();
    await backend.close();
    dir.remove();
  }
};

if (import.meta.url === `file://${process.argv[1]}`) await run();
