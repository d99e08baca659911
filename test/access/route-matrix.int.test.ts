import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccessEntry } from '../../src/access/http/request-principal.ts';
import { roleMayCall, roles, type Role } from '../../src/access/roles.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { collect } from '../support/collect.ts';
import { claimFor, startOidcProvider, type OidcProvider } from '../support/oidc-provider.ts';
import { planStream } from '../../events/streams.ts';
import { multipart, pdf, sha256Of } from '../evidence/sample-files.ts';

/**
 * Every route the app registers × every kind of caller. The routes come from the app's
 * own access table (collected by an onRoute hook), and the expected answer from each
 * route's declared access level, so routes added later are covered without editing this
 * (a new write route fails the matrix until goodRequest knows a valid request for it).
 * Allowed callers send a valid request and must get exactly 200 or 201 (or 403 where a
 * command's own rule refuses their role); only the /docs routes are checked loosely.
 */
type Identity = { label: string; credential: () => Promise<string | undefined>; role?: Role; invalid?: boolean };

const open = useSecuredLedger();
let provider: OidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider();
});
afterAll(() => provider.close());

const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/');

/** A concrete URL for a route pattern: the seeded plan, its action 1.3, its owner, an unknown key id, a view. */
const concrete = (url: string) =>
  url
    .replace(':planId', 'dorset')
    .replace(':ref', '1.3')
    .replace(':org', 'Dorset%20CCG')
    .replace(':keyId', '0000000000000000')
    .replace(':view', 'plans')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace('*', 'index.html');

const identities = (ledger: SecuredLedger, revoked: string): Identity[] => [
  { label: 'no credentials', credential: async () => undefined, invalid: true },
  ...roles.map((role): Identity => ({ label: `API key ${role}`, credential: async () => await ledger.keyFor(role, 'Dorset CCG'), role })),
  ...roles.map((role): Identity => ({ label: `JWT ${role}`, credential: () => provider.tokens.valid(claimFor[role], 'Dorset CCG'), role })),
  { label: 'revoked key', credential: async () => revoked, invalid: true },
  { label: 'malformed key', credential: async () => 'al_not-a-key', invalid: true },
  { label: 'unknown key', credential: async () => `al_0123456789abcdef_${'A'.repeat(43)}`, invalid: true },
  { label: 'key with a wrong secret', credential: async () => revoked.slice(0, -4) + 'AAAA', invalid: true },
  { label: 'expired JWT', credential: () => provider.tokens.expired(), invalid: true },
  { label: 'not-yet-valid JWT', credential: () => provider.tokens.notYetValid(), invalid: true },
  { label: 'wrong-audience JWT', credential: () => provider.tokens.wrongAudience(), invalid: true },
  { label: 'wrong-issuer JWT', credential: () => provider.tokens.wrongIssuer(), invalid: true },
  { label: 'unsigned JWT (alg none)', credential: () => provider.tokens.unsigned(), invalid: true },
  { label: 'HS256 JWT keyed with the public key', credential: () => provider.tokens.hmacWithPublicKey(), invalid: true },
  { label: 'JWT signed by an unpublished key', credential: () => provider.tokens.foreignKey(), invalid: true },
];

/** Ids the valid requests need: an event to prove, and one to correct on each caller's own plan. */
const matrixContext = async (ledger: SecuredLedger) => {
  // A checkpoint, so /ledger/checkpoints/latest has one to answer with.
  await ledger.ledger.checkpointNow();
  const [first] = await collect(ledger.store.readAll({ limit: 1 }));
  // An evidence file on the seeded plan, for the download route.
  const evidence = await multipart({ content: pdf('matrix download'), name: 'minutes.pdf' });
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const uploaded = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...evidence });
  if (uploaded.statusCode !== 201) throw new Error(`seeding an evidence file: ${uploaded.body}`);
  return { firstEventId: first!.eventId, evidenceSha256: uploaded.json().file.sha256 as string };
};

/** The seeded Dorset plan, plus R2 addressed to the CCG, so the CCG's contributor has a recommendation too. */
const seedMatrixPlan = async (ledger: SecuredLedger, planId: string) => {
  const { manager } = await seedDorsetPlan(ledger, planId);
  const res = await ledger.call(manager, {
    method: 'POST',
    url: `/plans/${planId}/recommendations`,
    payload: { ref: 'R2', text: 'Publish a crisis line', addressedTo: ['Dorset CCG'], effectiveOn: '2015-06' },
  });
  if (res.statusCode !== 201) throw new Error(`seeding R2: ${res.body}`);
};

const JSON_PLAN = (planId: string) =>
  JSON.stringify({
    format: 'assurance-ledger-plan',
    version: 1,
    plan: { planId, title: 'CCG crisis plan', kind: 'other', owner: 'Dorset CCG', date: '2024-10' },
    actions: [
      { ref: '1.1', text: 'Crisis line open all hours', leadOrganisations: ['Dorset CCG'], due: { kind: 'date', date: '2025-03' } },
    ],
  });

/** What a contributor may run (on their organisation's actions and recommendations); every other command is the plan manager's. */
const CONTRIBUTOR_COMMANDS = /\/(progress-updates|evidence|evidence-files)$/;

/**
 * A valid request to an allowed route and the exact answer it gets: 200 for reads, 201 for
 * writes, or 403 where route access admits the role but the command's rule does not (a
 * contributor registering a plan). Writes go to the caller's own plan (seedMatrixPlan), in
 * the access table's order, so each finds the plan it needs: completion and reopening on
 * 1.3, subsumption on 2.1, withdrawal on the 9.1 that "actions" agreed. Undefined only for
 * the API explorer's routes under /docs (the swagger UI plugin's redirects and static files,
 * not this ledger's): for those the matrix checks only that no credentials are needed.
 */
const goodRequest = async (
  ledger: SecuredLedger,
  ctx: { firstEventId: string; evidenceSha256: string },
  route: RouteAccessEntry,
  role: Role | undefined,
  planId: string,
): Promise<{ url: string; payload?: object; headers?: Record<string, string>; status: number } | undefined> => {
  const { method, url: pattern } = route;
  if (isDocs(pattern)) return undefined;
  const head = `minPosition=${await ledger.store.headPosition()}`;
  if (method === 'GET' || method === 'HEAD') {
    const reads: Record<string, string> = {
      '/plans': `/plans?${head}`,
      '/plans/:planId': `/plans/dorset?${head}`,
      '/plans/:planId/timeline': `/plans/dorset/timeline?${head}`,
      '/plans/:planId/actions/:ref/timeline': `/plans/dorset/actions/1.3/timeline?${head}`,
      '/plans/:planId/changes': '/plans/dorset/changes?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z',
      '/organisations': `/organisations?${head}`,
      '/organisations/:org': `/organisations/Dorset%20CCG?${head}`,
      '/reports/deadlines': `/reports/deadlines?from=2015-01&to=2016-12&${head}`,
      '/reports/discrepancies': `/reports/discrepancies?${head}`,
      '/ledger/proofs/inclusion/:eventId': `/ledger/proofs/inclusion/${ctx.firstEventId}`,
      '/ledger/proofs/consistency': '/ledger/proofs/consistency?from=1&to=2',
      '/plans/:planId/evidence-files/:sha256': `/plans/dorset/evidence-files/${ctx.evidenceSha256}?${head}`,
    };
    return { url: reads[pattern] ?? concrete(pattern), status: 200 };
  }
  if (pattern === '/admin/keys')
    return { url: pattern, payload: { name: 'Matrix viewer', role: 'viewer', organisation: 'SWAST' }, status: 201 };
  if (pattern === '/admin/keys/:keyId') {
    const { record } = await ledger.access.keys.create({ name: 'To revoke', role: 'viewer', organisation: 'SWAST', createdBy: 'test' });
    return { url: `/admin/keys/${record.keyId}`, status: 200 };
  }
  if (pattern === '/ledger/checkpoints') {
    // 201 when the ledger grew since the last checkpoint (the matrix's own writes), 200 when it did not.
    const grew = ((await ledger.ledger.checkpoints.latest())?.treeSize ?? 0) < (await ledger.store.count());
    return { url: pattern, status: grew ? 201 : 200 };
  }
  const contributorMay = CONTRIBUTOR_COMMANDS.test(pattern);
  const status = role === 'contributor' && !contributorMay ? 403 : 201;
  if (pattern === '/imports')
    return { url: pattern, payload: { fileName: `${planId}.json`, content: JSON_PLAN(`${planId}-imported`) }, status };
  if (pattern === '/plans')
    return {
      url: pattern,
      payload: { planId: `${planId}-new`, title: 'New plan', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-06' },
      status,
    };
  const p = `/plans/${planId}`;
  const agreed = (await collect(ledger.store.readStream(planStream(planId)))).find((e) => e.type === 'ActionAgreed');
  const writes: Record<string, { url: string; payload: object }> = {
    '/plans/:planId/sections': { url: `${p}/sections`, payload: { sectionRef: '9', title: 'Other matters', effectiveOn: '2015-06' } },
    // To another name of the same organisation: the plan stays the matrix caller's for the routes after this one.
    '/plans/:planId/owner-changes': {
      url: `${p}/owner-changes`,
      payload: { to: 'NHS Dorset Clinical Commissioning Group', reason: 'Its full name', effectiveOn: '2015-06' },
    },
    '/plans/:planId/recommendations': {
      url: `${p}/recommendations`,
      payload: { ref: 'R9', text: 'Another', addressedTo: ['Dorset CCG'], effectiveOn: '2015-06' },
    },
    '/plans/:planId/actions': {
      url: `${p}/actions`,
      payload: {
        ref: '9.1',
        text: 'Another',
        leadOrganisations: ['Dorset CCG'],
        due: { kind: 'date', date: '2016-03' },
        effectiveOn: '2015-06',
      },
    },
    '/plans/:planId/corrections': {
      url: `${p}/corrections`,
      payload: { correctedEventId: agreed?.eventId, changes: { text: 'Mapping services across Dorset' }, reason: 'Typo' },
    },
    '/plans/:planId/recommendations/:ref/responses': {
      url: `${p}/recommendations/R2/responses`,
      payload: { respondent: 'Dorset CCG', response: 'Accepted in full' },
    },
    '/plans/:planId/recommendations/:ref/assurances': {
      url: `${p}/recommendations/R2/assurances`,
      payload: { judgement: 'partially-assured', assuredBy: 'Dorset ICB Quality Committee' },
    },
    '/plans/:planId/recommendations/:ref/progress-updates': {
      url: `${p}/recommendations/R2/progress-updates`,
      payload: { narrative: 'Line advertised', effectiveOn: '2016-01' },
    },
    '/plans/:planId/recommendations/:ref/evidence': {
      url: `${p}/recommendations/R2/evidence`,
      payload: { title: 'Leaflet', sha256: 'a'.repeat(64) },
    },
    '/plans/:planId/actions/:ref/lead-changes': { url: `${p}/actions/1.3/lead-changes`, payload: { to: ['Dorset CCG'] } },
    '/plans/:planId/actions/:ref/deadline-revisions': {
      url: `${p}/actions/1.3/deadline-revisions`,
      payload: { to: { kind: 'date', date: '2018-03' }, reason: 'Funding bid', effectiveOn: '2016-02' },
    },
    '/plans/:planId/actions/:ref/progress-updates': {
      url: `${p}/actions/1.3/progress-updates`,
      payload: { narrative: 'A business case is being developed', effectiveOn: '2016-01' },
    },
    '/plans/:planId/actions/:ref/evidence': {
      url: `${p}/actions/1.3/evidence`,
      payload: { title: 'My life my care', uri: 'https://www.mylifemycare.com/mental-health' },
    },
    '/plans/:planId/actions/:ref/completion': { url: `${p}/actions/1.3/completion`, payload: { completedOn: '2017-08' } },
    '/plans/:planId/actions/:ref/subsumption': {
      url: `${p}/actions/2.1/subsumption`,
      payload: { into: { kind: 'programme', name: 'Acute Care Pathway review' }, reason: 'Subsumed' },
    },
    '/plans/:planId/actions/:ref/withdrawal': { url: `${p}/actions/9.1/withdrawal`, payload: { reason: 'Replaced' } },
    '/plans/:planId/actions/:ref/reopening': { url: `${p}/actions/1.3/reopening`, payload: { reason: 'Site taken down' } },
    // The matrix runs routes in the order they are served: the reinstatement follows the retraction, so later writes find the plan live.
    '/plans/:planId/retraction': { url: `${p}/retraction`, payload: { reason: 'Imported from the wrong file' } },
    '/plans/:planId/reinstatement': { url: `${p}/reinstatement`, payload: { reason: 'It was the right file after all' } },
  };
  // Evidence files: each caller's plan gets content of its own, so an erasure on one plan refuses nothing on the next.
  const evidence = pdf(`matrix evidence of ${planId}`);
  if (pattern.endsWith('/evidence-files')) {
    const upload = await multipart({ content: evidence, name: 'minutes.pdf' });
    const url = pattern.replace(':planId', planId).replace(':ref', pattern.includes('/recommendations/') ? 'R2' : '1.3');
    return { url, ...upload, status };
  }
  writes['/plans/:planId/evidence-files/:sha256/erasure'] = {
    url: `${p}/evidence-files/${sha256Of(evidence)}/erasure`,
    payload: { reason: 'Names a patient' },
  };
  const write = writes[pattern];
  if (!write) throw new Error(`no valid request for ${method} ${pattern}: add one to goodRequest`);
  return { ...write, status };
};

const expected = (route: RouteAccessEntry, who: Identity): 'allowed' | 401 | 403 => {
  if (route.access === 'public' || (route.access === undefined && isDocs(route.url))) return 'allowed';
  if (route.access === undefined) return 403;
  if (who.invalid) return 401;
  return roleMayCall(who.role!, route.access) ? 'allowed' : 403;
};

/** Every route fastify itself serves, read from its route tree, to check the access table missed none. */
const servedRoutes = (tree: string): string[] => {
  const prefixes: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const url = (prefixes[depth - 1] ?? '') + match[2]!;
    prefixes[depth] = url;
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${url}`);
  }
  return routes.sort();
};

describe('route × caller matrix', () => {
  it('every route declares an access level (only the swagger UI is exempt), and the access table holds every served route', async () => {
    const ledger = await open();
    // A route registered before access control was installed would be missing from the table: this catches it.
    // (The swagger UI's routes are left out: the tree prints its wildcard route under a shared prefix.)
    const notDocs = (route: string) => !isDocs(route.split(' ')[1]!);
    const table = ledger.app.accessTable
      .map((r) => `${r.method} ${r.url}`)
      .filter(notDocs)
      .sort();
    expect(table).toEqual(servedRoutes(ledger.app.printRoutes({ commonPrefix: false })).filter(notDocs));
    const undeclared = ledger.app.accessTable.filter((r) => r.access === undefined && !isDocs(r.url));
    expect(undeclared).toEqual([]);
    expect(ledger.app.accessTable.length).toBeGreaterThan(20);
    // The secured app is wired as the server is: the read models' and the import's routes are in the table, so the matrix covers them.
    for (const route of [
      'GET /plans',
      'GET /plans/:planId',
      'GET /plans/:planId/timeline',
      'GET /plans/:planId/actions/:ref/timeline',
      'GET /plans/:planId/changes',
      'GET /organisations',
      'GET /organisations/:org',
      'GET /reports/deadlines',
      'GET /reports/discrepancies',
      'POST /imports',
      'GET /ledger/public-key',
      'GET /ledger/public-key.pem',
      'GET /ledger/signing-keys',
      'GET /ledger/checkpoints',
      'GET /ledger/checkpoints/latest',
      'POST /ledger/checkpoints',
      'GET /ledger/proofs/inclusion/:eventId',
      'GET /ledger/proofs/consistency',
      'GET /ledger/verify',
      'GET /plans/:planId/export',
    ])
      expect(table).toContain(route);
    // What is open without credentials, as README.md and docs/access-control.md list it: health, readiness, the API
    // description and explorer, and the ledger's public key (anyone verifying an export or a checkpoint needs it).
    const unauthenticated = ledger.app.accessTable
      .filter((r) => r.access === 'public' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`);
    expect(unauthenticated.sort()).toEqual([
      'GET /health',
      'GET /ledger/public-key',
      'GET /ledger/public-key.pem',
      'GET /ledger/signing-keys',
      'GET /openapi.json',
      'GET /ready',
    ]);
  });

  it('gives each caller exactly the answer its role and the route access level call for, and refusals write nothing', async () => {
    const ledger = await open({ oidc: provider.settings, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
    await seedDorsetPlan(ledger);
    const revoked = await ledger.keyFor('plan-manager', 'Dorset CCG');
    await ledger.access.keys.revoke(revoked.slice(3, 19), 'test');
    const ctx = await matrixContext(ledger);
    const failures: string[] = [];
    let checked = 0;
    for (const [index, who] of identities(ledger, revoked).entries()) {
      const credential = await who.credential();
      // Each caller that may write gets a Dorset CCG plan of its own, so its valid writes meet the plan they need.
      const planId = `matrix-${index}`;
      if (!who.invalid && (who.role === 'contributor' || who.role === 'plan-manager')) await seedMatrixPlan(ledger, planId);
      for (const route of ledger.app.accessTable) {
        const want = expected(route, who);
        const good = want === 'allowed' ? await goodRequest(ledger, ctx, route, who.role, planId) : undefined;
        const url = good?.url ?? concrete(route.url);
        const method = route.method as 'GET';
        const payload = good ? good.payload : method === ('POST' as string) ? {} : undefined;
        const eventsBefore = await ledger.store.count();
        const res = await ledger.call(credential, {
          method,
          url,
          ...(payload ? { payload } : {}),
          ...(good?.headers ? { headers: good.headers } : {}),
        });
        checked++;
        const where = `${who.label}: ${route.method} ${url} → ${res.statusCode}`;
        const refused = (status: number) => {
          if (res.statusCode !== status) failures.push(`${where}, expected ${status}`);
          if (route.method !== 'HEAD') {
            if (!String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${where}: not problem+json`);
            else if (typeof res.json().code !== 'string') failures.push(`${where}: no stable code`);
          }
        };
        if (want !== 'allowed') {
          refused(want);
          if (want === 401 && !String(res.headers['www-authenticate']).startsWith('Bearer realm='))
            failures.push(`${where}: no WWW-Authenticate`);
        } else if (good === undefined) {
          if (res.statusCode === 401 || res.statusCode === 403) failures.push(`${where}, expected to be let through`);
        } else if (good.status === 403) refused(403);
        else if (res.statusCode !== good.status) failures.push(`${where}, expected ${good.status}: ${res.body.slice(0, 200)}`);
        // A refusal, whichever layer makes it, writes nothing.
        if (res.statusCode >= 400 && (await ledger.store.count()) !== eventsBefore)
          failures.push(`${where}: a refused request wrote events`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(20 * 20);
  }, 120_000);

  it('answers exactly 200 or 201 to each role on the routes given good inputs', async () => {
    const ledger = await open({ oidc: provider.settings });
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor');
    const admin = await provider.tokens.valid(claimFor.admin);
    const expectStatus = async (credential: string, method: 'GET' | 'POST', url: string, status: number, payload?: object) =>
      expect((await ledger.call(credential, { method, url, ...(payload ? { payload } : {}) })).statusCode, `${method} ${url}`).toBe(status);
    for (const url of ['/plans/dorset/events', '/ledger/events', '/access-log']) await expectStatus(auditor, 'GET', url, 200);
    await expectStatus(admin, 'GET', '/admin/keys', 200);
    await expectStatus(admin, 'GET', '/admin/configuration', 200);
    await expectStatus(admin, 'POST', '/admin/keys', 201, { name: 'New viewer', role: 'viewer', organisation: 'SWAST' });
    await expectStatus(await provider.tokens.valid(claimFor['plan-manager'], 'Dorset Police'), 'POST', '/plans', 201, {
      planId: 'police-plan',
      title: 'Section 136 review',
      kind: 'other',
      owner: 'Dorset Police',
    });
    await expectStatus(await ledger.keyFor('contributor', 'Dorset Police'), 'POST', '/plans/dorset/actions/2.1/progress-updates', 201, {
      narrative: 'AUG 2017 protocol agreed',
    });
    for (const url of ['/health', '/ready', '/openapi.json'])
      expect((await ledger.call(undefined, { method: 'GET', url })).statusCode).toBe(200);
  });

  it('answers 200 on every read model route to every role that reads the views, and 403 to admin, who manages keys only, and to a metrics key', async () => {
    const ledger = await open({ oidc: provider.settings });
    await seedDorsetPlan(ledger);
    const head = String(await ledger.store.headPosition());
    const reads = [
      '/plans',
      '/plans/dorset',
      '/plans/dorset/timeline',
      '/plans/dorset/actions/1.3/timeline',
      '/organisations',
      '/organisations/Dorset%20CCG',
      '/reports/deadlines?from=2015-01&to=2016-12',
      '/reports/discrepancies',
    ].map((url) => `${url}${url.includes('?') ? '&' : '?'}minPosition=${head}`);
    reads.push('/plans/dorset/changes?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z');
    const callers: [Role, string][] = [
      ...(await Promise.all(roles.map(async (role): Promise<[Role, string]> => [role, await ledger.keyFor(role, 'Dorset CCG')]))),
      ['viewer', await provider.tokens.valid(claimFor.viewer, 'Dorset Police')],
    ];
    const answers: string[] = [];
    for (const [role, credential] of callers)
      for (const url of reads)
        answers.push(`${role} GET ${url.split('?')[0]} → ${(await ledger.call(credential, { method: 'GET', url })).statusCode}`);
    const want = callers.flatMap(([role]) =>
      reads.map((url) => `${role} GET ${url.split('?')[0]} → ${role === 'admin' || role === 'metrics' ? 403 : 200}`),
    );
    expect(answers).toEqual(want);
  });

  it('answers the integrity routes by role: admin signs checkpoints, auditors read proofs and verify, the public key is public', async () => {
    const ledger = await open({ oidc: provider.settings });
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor');
    const signed = await ledger.call(await ledger.keyFor('admin'), { method: 'POST', url: '/ledger/checkpoints' });
    expect(signed.statusCode, signed.body).toBe(201);
    const size = signed.json().treeSize as number;
    const firstEvent = (await ledger.call(auditor, { method: 'GET', url: '/ledger/events' })).json().events[0].eventId as string;
    for (const url of [
      '/ledger/checkpoints',
      '/ledger/checkpoints/latest',
      '/ledger/verify',
      `/ledger/proofs/inclusion/${firstEvent}`,
      `/ledger/proofs/consistency?from=1&to=${size}`,
      '/plans/dorset/export',
    ])
      expect((await ledger.call(auditor, { method: 'GET', url })).statusCode, url).toBe(200);
    // Open to anyone, without credentials: a verifier needs the key, and it is no secret.
    const key = await ledger.call(undefined, { method: 'GET', url: '/ledger/public-key' });
    expect(key.statusCode).toBe(200);
    expect(key.json()).toEqual({ ...ledger.ledger.publicKey, algorithm: 'Ed25519' });
    const pem = await ledger.call(undefined, { method: 'GET', url: '/ledger/public-key.pem' });
    expect([pem.statusCode, pem.body]).toEqual([200, ledger.ledger.publicKey.pem]);
    const keys = await ledger.call(undefined, { method: 'GET', url: '/ledger/signing-keys' });
    expect([keys.statusCode, keys.json()]).toEqual([200, { current: ledger.ledger.publicKey, rotations: [] }]);
    for (const role of ['viewer', 'contributor', 'plan-manager', 'admin'] as const) {
      expect(
        (await ledger.call(await ledger.keyFor(role), { method: 'GET', url: `/ledger/proofs/inclusion/${firstEvent}` })).statusCode,
        role,
      ).toBe(403);
      expect((await ledger.call(await ledger.keyFor(role), { method: 'GET', url: '/plans/dorset/export' })).statusCode, role).toBe(403);
    }
    expect((await ledger.call(auditor, { method: 'POST', url: '/ledger/checkpoints' })).statusCode).toBe(403);
    // Proofs are reads of sensitive detail: each one, allowed or refused, is in the access log.
    const proofs = (await ledger.access.log.query({ limit: 100 })).entries.filter((e) => e.route.startsWith('/ledger/proofs/'));
    expect(proofs.map((e) => [e.route, e.role, e.status])).toEqual([
      ['/ledger/proofs/inclusion/:eventId', 'auditor', 200],
      ['/ledger/proofs/consistency', 'auditor', 200],
      ...['viewer', 'contributor', 'plan-manager', 'admin'].map((role) => ['/ledger/proofs/inclusion/:eventId', role, 403]),
    ]);
  });

  it('lets a plan manager import a plan their organisation owns (201), and refuses a contributor the same file (403)', async () => {
    const ledger = await open();
    const payload = {
      fileName: 'plan.json',
      content: JSON.stringify({
        format: 'assurance-ledger-plan',
        version: 1,
        plan: { planId: 'ccg-plan', title: 'CCG crisis plan', kind: 'other', owner: 'Dorset CCG', date: '2024-10' },
        actions: [
          { ref: '1.1', text: 'Crisis line open all hours', leadOrganisations: ['Dorset CCG'], due: { kind: 'date', date: '2025-03' } },
        ],
      }),
    };
    expect(
      (await ledger.call(await ledger.keyFor('contributor', 'Dorset CCG'), { method: 'POST', url: '/imports', payload })).statusCode,
    ).toBe(403);
    expect(await ledger.store.count()).toBe(0);
    expect(
      (await ledger.call(await ledger.keyFor('plan-manager', 'Dorset CCG'), { method: 'POST', url: '/imports', payload })).statusCode,
    ).toBe(201);
  });
});
