/**
 * The server half of bench/auth-bench.ts, run as its own process so the load generator
 * never shares its threads and its CPU time can be read from /proc. It builds three apps
 * over one SQLite ledger, seeds a plan, and prints one JSON line saying where they listen
 * and how to call them:
 *  - secured: the product as it ships, access control and all;
 *  - unauthenticated (the baseline): the same access control with authentication taken
 *    out — every request is the bench reader, whatever it sends — so security headers,
 *    rate limits, the role check and the durable read audit cost the same on both sides
 *    and the difference is what authentication adds;
 *  - bare: no access control at all (operator mode), to show what the rest of access
 *    control costs.
 * The baseline is built here, by the bench: the product has no switch that skips authentication.
 */
import { createAccessControl, defaultAccessSettings } from '../src/access/access-control.ts';
import { openBackend } from '../src/backend/open-backend.ts';
import { createOrganisationAliases } from '../src/organisations/organisation-aliases.ts';
import type { Principal } from '../src/access/principal.ts';
import { buildApp } from '../src/app/http/app.ts';
import { openReadModels } from '../projections/read-models.ts';
import { claimFor, startOidcProvider } from '../test/support/oidc-provider.ts';

const [dir, requested] = process.argv.slice(2) as [string, string | undefined];
const provider = await startOidcProvider();
// Wired as the server wires it: one backend, one organisation directory, the read models following the ledger.
const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir });
const store = backend.events;
const organisations = createOrganisationAliases(backend.learnedAliases);
const readModels = openReadModels({ store, workerReads: backend.workerReads, dataDir: dir, directory: organisations });
await readModels.runner.start();
const access = createAccessControl({
  keys: backend.keys,
  log: backend.accessLog,
  directory: organisations,
  // A benchmark client is one principal sending thousands of requests a second: lift the limit for it.
  settings: { ...defaultAccessSettings, oidc: provider.settings, rateLimit: { max: 100_000_000, windowMs: 60_000 } },
});
const bare = await buildApp({
  store,
  readModels,
  organisationAliases: organisations,
  operator: { id: 'bench', name: 'Benchmark', organisation: 'Dorset CCG', role: 'plan-manager' },
});
const secured = await buildApp({ store, readModels, organisationAliases: organisations, access });

const organisation = access.directory.canonical('Dorset CCG');
const manager = `Bearer ${(await access.keys.create({ name: 'Seeder', role: 'plan-manager', organisation, createdBy: 'bench' })).key}`;
const post = async (url: string, payload: object) => {
  const res = await secured.inject({ method: 'POST', url, headers: { authorization: manager }, payload });
  if (res.statusCode !== 201) throw new Error(`seeding ${url}: ${res.body}`);
};
await post('/plans', { planId: 'dorset', title: 'Dorset Crisis Care Concordat', kind: 'crisis-care-concordat', owner: 'Dorset CCG' });
for (let i = 1; i <= 20; i++)
  await post('/plans/dorset/actions', {
    ref: `1.${i}`,
    text: `Action ${i}`,
    leadOrganisations: ['Dorset CCG'],
    due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
  });

// The read models must hold the seeded plan before the first measured read.
await readModels.runner.waitFor((await store.headPosition()) ?? -1n, 10_000);
const pattern =
  requested ||
  (secured.accessTable.some((r) => r.method === 'GET' && r.url === '/plans/:planId') ? '/plans/:planId' : '/plans/:planId/events');
const route = secured.accessTable.find((r) => r.method === 'GET' && r.url === pattern);
if (!route) throw new Error(`no GET ${pattern} route`);
// Whoever the route admits: a projection is read by viewers, raw events by auditors.
const role = route.access === 'audit' ? 'auditor' : 'viewer';
const created = await access.keys.create({ name: 'Bench reader', role, organisation, createdBy: 'bench' });
const token = await provider.tokens.valid(claimFor[role], 'Dorset CCG', { exp: Math.floor(Date.now() / 1000) + 3600 });
// The principal the key establishes, fixed: the baseline's requests pass every check after authentication exactly as the key's do.
const reader: Principal = { via: 'api-key', keyId: created.record.keyId, name: 'Bench reader', role, organisation };
const unauthenticated = await buildApp({
  store,
  readModels,
  organisationAliases: organisations,
  access: { ...access, authenticate: async () => ({ kind: 'principal', principal: reader }) },
});

const listen = async (app: typeof bare) => (await app.listen({ port: 0, host: '127.0.0.1' })) + pattern.replace(':planId', 'dorset');
const urls = { bare: await listen(bare), baseline: await listen(unauthenticated), secured: await listen(secured) };
console.log(JSON.stringify({ pattern, role, auditRead: route.auditRead, ...urls, key: created.key, token }));

process.on('SIGTERM', async () => {
  await bare.close();
  await unauthenticated.close();
  await secured.close();
  await readModels.close();
  await backend.close();
  await provider.close();
  process.exit(0);
});
