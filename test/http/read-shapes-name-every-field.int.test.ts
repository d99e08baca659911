import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from '../projections/dorset-scenario.ts';
import { openReadApp, type ReadApp } from '../projections/read-app.ts';

/**
 * An API client generated from the OpenAPI description knows only the fields it names. Wherever
 * the description types an object (a read answer, a plan row, an organisation's figures), every
 * field the server sends there must be named in it; nested detail it leaves open is not checked.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Description = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components?: { schemas?: Record<string, Schema> };
};

let r: ReadApp;
let description: Description;
beforeAll(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
  description = (await r.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => r.close());

const resolve = (schema: Schema): Schema => {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return resolve(description.components!.schemas![name]!);
};

/** The fields sent where the description types an object but does not name them, as paths. */
const unnamed = (value: unknown, given: Schema, at: string): string[] => {
  const schema = resolve(given);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    if (value === null) return [];
    const typed = variants.map(resolve).filter((v) => v.type !== 'null');
    return typed.length === 1 ? unnamed(value, typed[0]!, at) : [];
  }
  if (Array.isArray(value)) return schema.items ? value.flatMap((item, i) => unnamed(item, schema.items!, `${at}[${i}]`)) : [];
  if (value === null || typeof value !== 'object' || !schema.properties) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key in schema.properties! ? unnamed(v, schema.properties![key]!, `${at}.${key}`) : [`${at}.${key}`],
  );
};

const answers: [string, string][] = [
  ['/plans', '/plans'],
  ['/plans', '/plans?asOf=2026-02-01&effectiveOn=2017-08'],
  ['/plans/{planId}', '/plans/dorset-ccc'],
  ['/plans/{planId}', '/plans/dorset-ccc?effectiveOn=2017-08'],
  ['/plans/{planId}/timeline', '/plans/dorset-ccc/timeline'],
  ['/plans/{planId}/actions/{ref}/timeline', '/plans/dorset-ccc/actions/1.3/timeline'],
  ['/plans/{planId}/changes', '/plans/dorset-ccc/changes?from=2026-01-05&to=2026-11-20'],
  ['/plans/{planId}/changes', '/plans/dorset-ccc/changes?clock=effective&from=2015-10&to=2017-09&asOf=2026-11-20'],
  ['/organisations', '/organisations'],
  ['/organisations', '/organisations?asOf=2026-06-01&effectiveOn=2017-08'],
  ['/organisations/{org}', '/organisations/Dorset%20CCG'],
  ['/reports/deadlines', '/reports/deadlines?from=2015-10&to=2018-03'],
  ['/reports/deadlines', '/reports/deadlines?organisation=SWASFT&from=2015-10&to=2018-03'],
  ['/reports/discrepancies', '/reports/discrepancies'],
];

describe('the read answers, against the OpenAPI description the server serves', () => {
  it.each(answers)('GET %s (%s) sends no field the description leaves unnamed where it types an object', async (path, url) => {
    const res = await r.app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const schema = description.paths[path]?.['get']?.responses['200']?.content?.['application/json']?.schema;
    expect(schema, `${path} has a 200 answer in the description`).toBeDefined();
    expect(resolve(schema!).properties, `${path} names its fields`).toBeDefined();
    expect(unnamed(res.json(), schema!, 'answer')).toEqual([]);
  });
});
