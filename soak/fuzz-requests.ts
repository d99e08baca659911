import fc from 'fast-check';

/** An inject() request: method, url, headers and a body as text or bytes. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const json = { 'content-type': 'application/json' };

/** The plan every case may aim at, with one section, recommendation and action, set up before the run. */
export const seedRequests = (): Array<FuzzRequest & { payload: string }> =>
  [
    ['/plans', { planId: 'fuzz', title: 'Fuzz plan', kind: 'other', owner: 'Fuzz Trust', effectiveOn: '2015-03' }],
    ['/plans/fuzz/sections', { sectionRef: '1', title: 'Access', effectiveOn: '2015-03' }],
    ['/plans/fuzz/recommendations', { ref: 'R1', text: 'Do better', addressedTo: ['Fuzz Trust'], effectiveOn: '2015-03' }],
    [
      '/plans/fuzz/actions',
      {
        ref: '1.1',
        sectionRef: '1',
        recommendationRefs: ['R1'],
        text: 'Map the services',
        leadOrganisations: ['Fuzz Trust'],
        due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
        effectiveOn: '2015-03',
      },
    ],
  ].map(([url, body]) => ({ method: 'POST' as const, url: url as string, headers: json, payload: JSON.stringify(body) }));

/** Each write route with a body it accepts: the starting point the generator bends. */
const WRITES: Array<[string, Record<string, unknown>]> = [
  ['/plans', { planId: 'fuzz-new', title: 'A plan', kind: 'other', owner: 'Fuzz Trust', effectiveOn: '2015-03' }],
  ['/plans/{plan}/sections', { sectionRef: 'S', title: 'A section', effectiveOn: '2015-03' }],
  ['/plans/{plan}/recommendations', { ref: 'R', text: 'Recommendation', effectiveOn: '2015-03' }],
  ['/plans/{plan}/recommendations/{rec}/responses', { respondent: 'Fuzz Trust', response: 'Accepted', effectiveOn: '2015-04' }],
  [
    '/plans/{plan}/recommendations/{rec}/assurances',
    { judgement: 'assured', assuredBy: 'Board', rationale: 'Seen it', effectiveOn: '2015-05' },
  ],
  ['/plans/{plan}/recommendations/{rec}/progress-updates', { narrative: 'Progress', effectiveOn: '2015-05' }],
  ['/plans/{plan}/recommendations/{rec}/evidence', { title: 'Minutes', uri: 'https://example.org/m', effectiveOn: '2015-05' }],
  [
    '/plans/{plan}/actions',
    { ref: 'A', sectionRef: '1', text: 'An action', leadOrganisations: ['Fuzz Trust'], due: { kind: 'ongoing' }, effectiveOn: '2015-03' },
  ],
  [
    '/plans/{plan}/actions/{act}/progress-updates',
    { narrative: 'Progress', reportedRag: { rating: 'Amber', meaning: 'at risk' }, effectiveOn: '2015-06' },
  ],
  ['/plans/{plan}/actions/{act}/evidence', { title: 'Report', sha256: 'a'.repeat(64), effectiveOn: '2015-06' }],
  ['/plans/{plan}/actions/{act}/deadline-revisions', { to: { kind: 'date', date: '2016-03' }, reason: 'Funding', effectiveOn: '2015-09' }],
  ['/plans/{plan}/actions/{act}/lead-changes', { to: ['Another Trust'], effectiveOn: '2015-09' }],
  ['/plans/{plan}/actions/{act}/completion', { completedOn: '2015-10', summary: 'Done' }],
  ['/plans/{plan}/actions/{act}/subsumption', { into: { kind: 'programme', name: 'ACP' }, reason: 'Merged', effectiveOn: '2015-10' }],
  ['/plans/{plan}/actions/{act}/withdrawal', { reason: 'Not needed', effectiveOn: '2015-10' }],
  ['/plans/{plan}/actions/{act}/reopening', { reason: 'Needed after all', effectiveOn: '2015-11' }],
  ['/plans/{plan}/corrections', { correctedEventId: '00000000-0000-7000-8000-000000000000', changes: { title: 'x' }, reason: 'Typo' }],
];

const READS = [
  '/plans',
  '/plans/{plan}',
  '/plans/{plan}/timeline?order=effective',
  '/plans/{plan}/actions/{act}/timeline',
  '/plans/{plan}/changes?from=2015-01-01T00:00:00Z',
  '/plans/{plan}/events',
  '/ledger/events?after=0&limit=5',
  '/reports/deadlines?from=2015-10&to=2015-12',
  '/organisations/Fuzz%20Trust',
  '/plans/{plan}?asOf=2016-01-01T00:00:00Z',
];

/** Path parameters: the seeded ones mostly, and anything at all sometimes. */
const param = (known: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(known) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '%00', 'fuzz%2Fsections', ' ', 'R1%20', '1.1.', 'FUZZ') },
  );

const fill = (template: string) =>
  fc
    .tuple(param('fuzz'), param('R1'), param('1.1'))
    .map(([plan, rec, act]) => template.replace('{plan}', plan).replace('{rec}', rec).replace('{act}', act));

/** A body bent from one the route accepts: fields dropped, swapped for any JSON, added, or the whole thing replaced. */
const body = (valid: Record<string, unknown>) => {
  const keys = Object.keys(valid);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(JSON.stringify(valid)) },
    { weight: 2, arbitrary: fc.constantFrom(...keys).map((k) => JSON.stringify({ ...valid, [k]: undefined })) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => JSON.stringify({ ...valid, [k]: v })) },
    { weight: 1, arbitrary: fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => JSON.stringify({ ...valid, [k]: v })) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
    { weight: 1, arbitrary: fc.constantFrom('{"narrative":"x","narrative":"y"}', '{"n":9007199254740993}', '\ufeff{}', '{', '[]', '""') },
  );
};

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

/** Headers a caller may send, well or badly. */
const headers = fc
  .record({
    'content-type': optional(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/problem+json',
      ),
    ),
    'idempotency-key': optional(fc.string({ maxLength: 250 })),
    'if-match': optional(fc.oneof(fc.constantFrom('"3"', '"0"', '*', 'W/"3"'), fc.string({ maxLength: 30 }))),
    'x-correlation-id': optional(fc.string({ unit: 'binary', maxLength: 260 })),
  })
  .map((h) =>
    Object.fromEntries(
      Object.entries(h).filter((entry): entry is [string, string] => entry[1] !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(entry[1])),
    ),
  );

/** One request: mostly a write route with a bent body, sometimes a read, sometimes a method the route does not have. */
export const fuzzRequest = (): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...WRITES)
        .chain(([template, valid]) => fc.tuple(fill(template), body(valid), headers))
        .map(([url, payload, h]) => ({ method: 'POST' as const, url, headers: { 'content-type': 'application/json', ...h }, payload })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...READS).chain(fill), headers).map(([url, h]) => ({ method: 'GET' as const, url, headers: h })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('PUT', 'DELETE', 'PATCH') as fc.Arbitrary<'PUT' | 'DELETE' | 'PATCH'>, fc.constantFrom(...WRITES), headers)
        .chain(([method, [template, valid], h]) =>
          fill(template).map((url) => ({ method, url, headers: h, payload: JSON.stringify(valid) })),
        ),
    },
  );
