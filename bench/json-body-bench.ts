/**
 * The cost of reading a JSON body with its one-reading checks (UTF-8, duplicate keys, exact
 * numbers: src/http/json-body.ts) against Fastify's own parser (secure-json-parse on a string)
 * on the same bodies in the same run; the ratio is what the checks add per request.
 *   npm run bench -- json-body
 */
import os from 'node:os';
import secureJson from 'secure-json-parse';
import { parseJsonBody } from '../src/http/json-body.ts';

const progressUpdate = Buffer.from(
  JSON.stringify({
    narrative: 'AUG 2017 The pilot has been completed and the crisis line is now commissioned across the county',
    reportedRag: { rating: 'Green', meaning: 'On track' },
    metrics: [
      { description: 'People detained in a police cell under s136', value: 0, unit: 'people' },
      { description: 'Calls answered within 60 seconds', value: 92.5, unit: 'percent' },
    ],
    effectiveOn: '2017-08',
  }),
);
const importBody = Buffer.from(
  JSON.stringify({
    fileName: 'plan.json',
    content: JSON.stringify({
      actions: Array.from({ length: 400 }, (_, i) => ({
        ref: `${1 + Math.floor(i / 10)}.${i % 10}`,
        text: 'Mapping services to provide good information about services '.repeat(4),
        due: { kind: 'date', date: '2015-10' },
        leadOrganisations: ['Dorset CCG', 'Dorset HealthCare'],
      })),
    }),
  }),
);

const perCall = (parse: (body: Buffer) => unknown, body: Buffer) => {
  const runs = Math.max(200, Math.floor(20_000_000 / body.length));
  for (let i = 0; i < runs / 10; i++) parse(body);
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) parse(body);
  return Number(process.hrtime.bigint() - started) / 1000 / runs;
};

export async function run(): Promise<void> {
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const fastify = (body: Buffer) =>
    secureJson.parse(body.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
  const ledger = (body: Buffer) => parseJsonBody('application/json', body);
  const rows = [];
  for (const [name, body] of [
    ['progress update', progressUpdate],
    ['import', importBody],
  ] as const) {
    const baseline = perCall(fastify, body);
    const checked = perCall(ledger, body);
    rows.push(
      { measure: `${name} (${body.length} bytes): Fastify's parser (baseline)`, figure: `${baseline.toFixed(2)} µs`, ratio: '1.00' },
      { measure: `${name}: with the one-reading checks`, figure: `${checked.toFixed(2)} µs`, ratio: (checked / baseline).toFixed(2) },
    );
  }
  console.table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
