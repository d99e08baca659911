import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { argumentProblem } from '../../src/cli/view-options.ts';
import { queryProblem, SignedViewFile } from '../../src/cli/view-query.ts';
import { verifySignedView } from '../../src/integrity/verify-view.ts';
import { readNamedView, type ViewName } from '../../src/views/named-view.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { expectProblem } from './app-harness.ts';

const open = useSecuredLedger();
const run = promisify(execFile);

const signedView = async (ledger: SecuredLedger, key: string, url: string) => {
  const res = await ledger.call(key, { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return { res, file: SignedViewFile.parse(res.json()) };
};

/** A Dorset plan and an auditor's key, with the ledger's public key as a verifier pins it. */
const seeded = async () => {
  const ledger = await open();
  await seedDorsetPlan(ledger);
  const auditor = await ledger.keyFor('auditor', 'Independent inquiry', 'Inquiry team');
  const pem = (await ledger.call(undefined, { method: 'GET', url: '/ledger/public-key.pem' })).body;
  const keyId = (await ledger.access.keys.list()).find((k) => k.name === 'Inquiry team')!.keyId;
  return { ledger, auditor, pem, keyId };
};

describe('GET /signed-views/{view}', () => {
  it('signs a view at both clocks that verifies offline, holds the answer ledger view reads, and names its reader', async () => {
    const { ledger, auditor, pem, keyId } = await seeded();
    const asOf = new Date().toISOString();
    const { res, file } = await signedView(
      ledger,
      auditor,
      `/signed-views/deadlines?from=2015-10&to=2018-03&effectiveOn=2016-01&asOf=${encodeURIComponent(asOf)}`,
    );
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="deadlines-as-of-.+\.signed-view\.json"$/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(verifySignedView(res.json(), { trustedPublicKeyPem: pem })).toMatchObject({ ok: true, keyPinned: true });
    expect(file).toMatchObject({
      view: 'deadlines',
      subject: null,
      query: { asOf, effectiveOn: '2016-01', from: '2015-10', to: '2018-03' },
      readBy: `api-key:${keyId}`,
    });
    // The query is one `ledger view` takes, and read again it gives the same answer at the same position.
    expect(queryProblem(file.view, file.subject, file.query)).toBeUndefined();
    const again = await readNamedView(ledger.readModels, file.view, undefined, file.query);
    expect(file.answer).toEqual(JSON.parse(JSON.stringify(again.answer)));
    expect(file.position).toBe(String(again.position));
    expect(file.answer).toMatchObject({ effectiveOn: '2016-01', position: file.position });
  });

  it('reads a view without asOf, or with one still to come, at the ledger time now, and says so in the query', async () => {
    const { ledger, auditor } = await seeded();
    const before = new Date().toISOString();
    const { file: now } = await signedView(ledger, auditor, '/signed-views/plans');
    const { file: later } = await signedView(ledger, auditor, '/signed-views/organisations?asOf=2999-01-01');
    for (const file of [now, later]) {
      expect(file.query.asOf >= before && file.query.asOf <= new Date().toISOString()).toBe(true);
      expect(file.position).toBe(String((await ledger.store.count()) - 1));
    }
    expect((now.answer as { plans: { planId: string }[] }).plans.map((p) => p.planId)).toEqual(['dorset']);
  });

  it("records a view of one plan's detail in the access log with its plan, and a changes window on either clock", async () => {
    const { ledger, auditor, pem } = await seeded();
    const views: [ViewName, string][] = [
      ['plan', 'subject=dorset&effectiveOn=2015-09'],
      ['timeline', 'subject=dorset&order=effective&action=1.3'],
      ['changes', `subject=dorset&from=2015-01-01&to=${encodeURIComponent(new Date().toISOString())}`],
      ['changes', 'subject=dorset&clock=effective&from=2015-05&to=2015-07'],
      ['organisation', `subject=${encodeURIComponent('Dorset Police')}`],
      ['discrepancies', 'effectiveOn=2017-01'],
    ];
    for (const [view, query] of views) {
      const { res, file } = await signedView(ledger, auditor, `/signed-views/${view}?${query}`);
      expect(verifySignedView(res.json(), { trustedPublicKeyPem: pem }).ok, view).toBe(true);
      expect(queryProblem(file.view, file.subject, file.query), view).toBeUndefined();
      const again = await readNamedView(ledger.readModels, file.view, file.subject ?? undefined, file.query);
      expect(file.answer, view).toEqual(JSON.parse(JSON.stringify(again.answer)));
    }
    const log = (await ledger.call(auditor, { method: 'GET', url: '/access-log?planId=dorset' })).json() as {
      entries: { route: string; planId: string; status: number }[];
    };
    expect(log.entries.map((e) => [e.route, e.planId, e.status])).toEqual([
      ['/signed-views/:view', 'dorset', 200],
      ['/signed-views/:view', 'dorset', 200],
      ['/signed-views/:view', 'dorset', 200],
      ['/signed-views/:view', 'dorset', 200],
    ]);
  });

  it('is read again by ledger verify-view -d against the ledger it came from', async () => {
    const { ledger, auditor, pem } = await seeded();
    const { res } = await signedView(ledger, auditor, '/signed-views/plan?subject=dorset&effectiveOn=2016-01');
    const file = path.join(ledger.dataDir, 'plan.signed-view.json');
    const key = path.join(ledger.dataDir, 'public.pem');
    fs.writeFileSync(file, res.body);
    fs.writeFileSync(key, pem);
    const checked = await run(process.execPath, ['bin/ledger.js', 'verify-view', file, '--public-key', key, '-d', ledger.dataDir], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    expect(checked.stdout).toMatch(/^view:\s+plan dorset/m);
    expect(checked.stdout).toMatch(/by api-key:/);
  });

  it('refuses what ledger view refuses, naming the parameter, and writes nothing', async () => {
    const { ledger, auditor } = await seeded();
    const latest = await ledger.ledger.checkpoints.latest();
    const events = await ledger.store.count();
    const refusals: [string, number, string, string?][] = [
      ['/signed-views/everything', 400, 'validation-failed', 'params.view'],
      ['/signed-views/plan', 400, 'validation-failed', 'querystring.subject'],
      ['/signed-views/plan?subject=no%20such%20plan', 400, 'validation-failed', 'querystring.subject'],
      ['/signed-views/deadlines?subject=dorset', 400, 'validation-failed', 'querystring.subject'],
      ['/signed-views/plans?organisation=Dorset%20CCG', 400, 'validation-failed', 'querystring.organisation'],
      ['/signed-views/plan?subject=dorset&order=effective', 400, 'validation-failed', 'querystring.order'],
      ['/signed-views/changes?subject=dorset&from=2015-01-01', 400, 'validation-failed', 'querystring.to'],
      ['/signed-views/changes?subject=dorset&from=2015-01-01&to=2016-01-01&asOf=2016-01-01', 400, 'validation-failed', 'querystring.asOf'],
      [
        '/signed-views/changes?subject=dorset&clock=effective&from=2015-05&to=2015-07&effectiveOn=2015-06',
        400,
        'validation-failed',
        'querystring.effectiveOn',
      ],
      ['/signed-views/changes?subject=dorset&from=2015-05&to=2015-07', 400, 'validation-failed', 'querystring.from'],
      [
        '/signed-views/changes?subject=dorset&clock=effective&from=2015-05-01T00:00Z&to=2015-07',
        400,
        'validation-failed',
        'querystring.from',
      ],
      ['/signed-views/deadlines?from=2015-10', 400, 'validation-failed', 'querystring.to'],
      ['/signed-views/deadlines?from=2015-13&to=2016-01', 400, 'validation-failed', 'querystring.from'],
      ['/signed-views/plans?effectiveOn=2017-13', 400, 'validation-failed', 'querystring.effectiveOn'],
      ['/signed-views/plans?asOf=2019-02-29', 400, 'validation-failed', 'querystring.asOf'],
      ['/signed-views/plans?limit=10', 400, 'validation-failed', 'querystring'],
      ['/signed-views/plans?asOf=2016-01-01&effectiveOn=2017-01', 400, 'effective-on-after-as-of', 'querystring.effectiveOn'],
      ['/signed-views/plans?effectiveOn=2999-01', 400, 'effective-on-in-future', 'querystring.effectiveOn'],
      ['/signed-views/plan?subject=nowhere', 404, 'plan-not-found'],
      ['/signed-views/changes?subject=dorset&from=2016-01-01&to=2015-01-01', 400, 'invalid-window'],
    ];
    for (const [url, status, code, location] of refusals) {
      const problem = expectProblem(await ledger.call(auditor, { method: 'GET', url }), status, code);
      if (location) expect(JSON.stringify(problem.errors), url).toContain(location);
    }
    // Worded as `ledger view` words it.
    for (const [view, words] of [
      ['plan', 'plan needs a plan id'],
      ['organisation', 'organisation needs an organisation name'],
    ])
      expect(
        expectProblem(await ledger.call(auditor, { method: 'GET', url: `/signed-views/${view}` }), 400, 'validation-failed').detail,
      ).toBe(`querystring.subject: ${words}`);
    expectProblem(
      await ledger.call(await ledger.keyFor('viewer'), { method: 'GET', url: '/signed-views/plans' }),
      403,
      'role-not-permitted',
    );
    expectProblem(await ledger.call(undefined, { method: 'GET', url: '/signed-views/plans' }), 401, 'authentication-required');
    expect(await ledger.store.count()).toBe(events);
    expect(await ledger.ledger.checkpoints.latest()).toEqual(latest);
  });

  it('refuses to sign a view of a ledger with no events, as no checkpoint can stand under it', async () => {
    const ledger = await open();
    const auditor = await ledger.keyFor('auditor');
    expectProblem(await ledger.call(auditor, { method: 'GET', url: '/signed-views/plans' }), 409, 'ledger-empty');
    expect(await ledger.store.count()).toBe(0);
  });

  it('refuses an organisation subject ending in a line break (400 naming subject) rather than signing a checkpoint and failing 500', async () => {
    const { ledger, auditor } = await seeded();
    const before = await ledger.ledger.checkpoints.latest();
    for (const subject of ['Dorset Police\n', 'Dorset Police\r\n', '\nDorset Police']) {
      const res = await ledger.call(auditor, { method: 'GET', url: `/signed-views/organisation?subject=${encodeURIComponent(subject)}` });
      const problem = expectProblem(res, 400, 'validation-failed');
      expect(JSON.stringify(problem.errors)).toContain('querystring.subject');
    }
    expect(await ledger.ledger.checkpoints.latest()).toEqual(before);
  });

  it('ledger view refuses such a subject too, as the envelope it would sign is one verify-view cannot read', () => {
    expect(argumentProblem('organisation', 'Dorset Police\n', { progress: false })).toMatch(/one line/);
    // A file naming such a subject is one verify-view refuses as malformed:
    const envelope = { subject: 'Dorset Police\n' };
    expect(SignedViewFile.shape.subject.safeParse(envelope.subject).success).toBe(false);
  });

  it("records a refused read of one plan's detail under its plan, as a refused /plans/:planId read is", async () => {
    const { ledger, auditor } = await seeded();
    const viewer = await ledger.keyFor('viewer');
    await ledger.call(auditor, { method: 'GET', url: '/signed-views/plan?subject=dorset&order=effective' });
    await ledger.call(auditor, { method: 'GET', url: '/signed-views/timeline?subject=dorset&asOf=nonsense' });
    await ledger.call(viewer, { method: 'GET', url: '/signed-views/changes?subject=dorset&from=2015-01-01&to=2016-01-01' });
    // Not a plan's detail, or no plan id: no plan named.
    await ledger.call(auditor, { method: 'GET', url: '/signed-views/plans?subject=dorset' });
    await ledger.call(auditor, { method: 'GET', url: '/signed-views/plan?subject=Not%20A%20Plan' });
    const log = (await ledger.call(auditor, { method: 'GET', url: '/access-log' })).json() as {
      entries: { route: string; planId: string | null; status: number }[];
    };
    expect(log.entries.filter((e) => e.route === '/signed-views/:view').map((e) => [e.planId, e.status])).toEqual([
      ['dorset', 400],
      ['dorset', 400],
      ['dorset', 403],
      [null, 400],
      [null, 400],
    ]);
  });

  it("offers a file name that keeps the view when the organisation's name holds a slash", async () => {
    const { ledger, auditor } = await seeded();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const add = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions',
      payload: {
        ref: '3.1',
        text: 'Joint working',
        leadOrganisations: ['Dorset Fire/Rescue'],
        due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
        effectiveOn: '2015-06',
      },
    });
    expect(add.statusCode, add.body).toBe(201);
    const res = await ledger.call(auditor, {
      method: 'GET',
      url: `/signed-views/organisation?subject=${encodeURIComponent('Dorset Fire/Rescue')}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="organisation-Dorset Fire-Rescue-as-of-.+\.signed-view\.json"$/,
    );
  });

  // Inputs the API trims, or reads as ledger view does, still sign a query verify-view takes.
  it('signs odd but accepted inputs with a query ledger verify-view takes', async () => {
    const { ledger, auditor } = await seeded();
    const urls = [
      `/signed-views/organisation?subject=${encodeURIComponent('  Dorset Police\t')}`,
      `/signed-views/deadlines?organisation=${encodeURIComponent(' Dorset CCG ')}`,
      `/signed-views/timeline?subject=dorset&action=${encodeURIComponent(' 1.3 ')}`,
      '/signed-views/changes?subject=dorset&from=2015-01-01T00:00%2B01:00&to=2999-01-01',
      '/signed-views/changes?subject=dorset&from=2016-01-01T00:00 01:00&to=2999-01-01&effectiveOn=2015-09',
    ];
    for (const url of urls) {
      const res = await ledger.call(auditor, { method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      const file = SignedViewFile.parse(res.json());
      expect(queryProblem(file.view, file.subject, file.query), url).toBeUndefined();
    }
  });
});
