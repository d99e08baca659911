import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApi } from '../../src/cli/openapi-command.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * What API clients see: the description the server serves, checked the way client authors
 * check it (Redocly's recommended rules, warnings counted as errors) and used the way they
 * use it (a TypeScript client generated from it must type-check).
 */
type Operation = { operationId?: string; responses?: Record<string, unknown> };
type Description = { servers?: unknown[]; info: { license?: unknown }; paths: Record<string, Record<string, Operation>> };

const dir = makeTempDir('ledger-openapi-test-');
let description: Description;
beforeAll(async () => {
  description = (await describeApi()) as Description;
  fs.writeFileSync(dir.file('openapi.json'), JSON.stringify(description, null, 2));
});
afterAll(() => dir.remove());

const operations = () =>
  Object.entries(description.paths).flatMap(([url, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ at: `${method.toUpperCase()} ${url}`, operation })),
  );

describe('the OpenAPI description', () => {
  it('passes Redocly lint with its recommended rules and no warnings', async () => {
    const redocly = path.resolve('node_modules/@redocly/cli/bin/cli.js');
    const args = [redocly, 'lint', dir.file('openapi.json'), '--extends', 'recommended-strict', '--format', 'json'];
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const { stdout } = await promisify(execFile)(process.execPath, args, { env }).catch((failed: { stdout: string }) => failed);
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('names every operation with a unique camelCase verb, so generated clients get stable method names', () => {
    const ids = operations().map(({ at, operation }) => [at, operation.operationId] as const);
    expect(ids.filter(([, id]) => id === undefined || !/^[a-z]+[A-Z][A-Za-z]*$/.test(id))).toEqual([]);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    expect(Object.fromEntries(ids)).toMatchObject({
      'POST /plans': 'registerPlan',
      'POST /plans/{planId}/actions/{ref}/progress-updates': 'recordActionProgressUpdate',
      'POST /plans/{planId}/actions/{ref}/deadline-revisions': 'reviseDeadline',
      'GET /reports/deadlines': 'getDeadlineReport',
    });
  });

  it('publishes whole-number query parameters as integers with their range and default, so clients generate number parameters', () => {
    type Parameter = { name: string; in: string; schema: Record<string, unknown> };
    const parameter = (url: string, name: string) =>
      ((description.paths[url]!['get'] as { parameters: Parameter[] }).parameters.find((p) => p.name === name) ?? {}) as Parameter;
    expect(parameter('/plans', 'limit').schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(parameter('/ledger/checkpoints', 'limit').schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 100 });
    expect(parameter('/plans/{planId}/events', 'fromRevision').schema).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
    // The clocks show the forms they take, so a client need not guess that asOf takes a day.
    expect(parameter('/plans', 'asOf')).toMatchObject({ examples: { '2019-03-01': { value: '2019-03-01' } } });
    expect(parameter('/plans', 'effectiveOn')).toMatchObject({
      schema: { type: 'string', pattern: '^\\d{4}-\\d{2}(-\\d{2})?$' },
      examples: { '2017-08': { value: '2017-08' } },
    });
  });

  it('documents a client error answer on every operation, a server list and a licence', () => {
    expect(operations().filter(({ operation }) => !Object.keys(operation.responses ?? {}).some((code) => code.startsWith('4')))).toEqual(
      [],
    );
    expect(description.servers).toEqual([expect.objectContaining({ url: '/' })]);
    // Each error answer is published as the problem details it is sent as, whatever the route's success is.
    const errorMediaTypes = new Set(
      operations().flatMap(({ operation }) =>
        Object.entries(operation.responses ?? {}).flatMap(([code, response]) =>
          /^[45]/.test(code) ? Object.keys((response as { content?: object }).content ?? {}) : [],
        ),
      ),
    );
    expect([...errorMediaTypes]).toEqual(['application/problem+json']);
    // A path parameter too long for any id is refused before routing: every route with one says so.
    const withParameter = operations().filter(({ at }) => at.includes('{'));
    expect(withParameter.length).toBeGreaterThan(0);
    expect(withParameter.filter(({ operation }) => !operation.responses?.['414']).map(({ at }) => at)).toEqual([]);
    expect(description.info.license).toBeDefined();
  });

  it('generates a TypeScript client with openapi-typescript that a strict program type-checks against', async () => {
    fs.writeFileSync(dir.file('api.d.ts'), astToString(await openapiTS(description as never)));
    // A small client: typed requests to three write routes and one read, and two mistakes the types must catch.
    fs.writeFileSync(
      dir.file('client.ts'),
      `import type { operations, paths } from './api';

// The one platform function the client needs, so the check does not load the whole DOM library.
declare function fetch(url: string, init?: { method: string; headers: Record<string, string>; body: string }): Promise<{ json(): Promise<unknown> }>;

type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Created<Op extends keyof operations> = operations[Op]['responses'] extends { 201: { content: { 'application/json': infer R } } } ? R : never;

const post = async <Op extends keyof operations>(url: string, body: Body<Op>): Promise<Created<Op>> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Created<Op>;
};

export const story = async (base: string) => {
  const plan = await post<'registerPlan'>(base + '/plans', {
    planId: 'dorset-ccc', title: 'Dorset Crisis Care Concordat action plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03',
  });
  const update = await post<'recordActionProgressUpdate'>(base + '/plans/dorset-ccc/actions/1.3/progress-updates', {
    narrative: 'AUG 2017 The website is now active', reportedRag: { rating: 'Green' }, effectiveOn: '2017-08',
  });
  await post<'reviseDeadline'>(base + '/plans/dorset-ccc/actions/1.3/deadline-revisions', {
    to: { kind: 'date', date: '2018-03' }, reason: 'Funding bid for the MLMC site', effectiveOn: '2015-10',
  });
  const position: string = update.position;
  const revision: number = plan.revision;
  type Report = paths['/reports/deadlines']['get']['responses'][200]['content']['application/json'];
  const report = (await (await fetch(base + '/reports/deadlines')).json()) as Report;
  const window: [string, string] = [report.from, report.to];
  // @ts-expect-error a progress update has no "colour" field
  await post<'recordActionProgressUpdate'>(base + '/x', { narrative: 'n', colour: 'red' });
  // @ts-expect-error a deadline revision needs its reason
  await post<'reviseDeadline'>(base + '/x', { to: { kind: 'date', date: '2018-03' } });
  return { position, revision, window };
};
`,
    );
    const program = ts.createProgram([dir.file('client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  });
});
