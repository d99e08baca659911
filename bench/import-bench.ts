/**
 * Import throughput on a real SQLite file.
 *   node --import tsx bench/import-bench.ts
 * 1. Both seed documents (Word text exports), each into a fresh ledger: target < 2 s together.
 * 2. A generated CSV of 10,000 actions with 50,000 updates: target ≥ 5,000 rows/s.
 *    Baseline, same run: appending the same events straight to the store (no parsing,
 *    no diff, no decider), so the ratio shows what the front door costs.
 * 3. Re-importing that CSV (nothing to write): the cost of the comparison alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { toCsv } from '../src/import/csv-export.ts';
import { demoPlans } from '../src/import/demo-data.ts';
import { importPlan } from '../src/import/import-plan.ts';
import { openOrganisationAliases } from '../src/organisations/organisation-aliases.ts';
import type { PlanDocument } from '../src/import/plan-document.ts';
import type { EventStore } from '../src/store/port.ts';
import type { NewEvent } from '../events/envelope.ts';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { planStream } from '../events/streams.ts';
import { createBatchHandler } from '../src/commands/command-path.ts';

const actor = { id: 'bench', name: 'Bench', organisation: 'Bench', role: 'operator' };

export const generatedPlan = (actions: number, updatesPerAction: number): PlanDocument => {
  const sections = 20;
  const doc: PlanDocument = {
    format: 'assurance-ledger-plan',
    version: 1,
    plan: {
      planId: 'generated',
      title: 'Generated plan',
      kind: 'other',
      owner: 'NHS Bench Trust',
      ragLegend: [],
      date: '2024-12',
      effectiveOn: '2020-01',
    },
    sections: Array.from({ length: sections }, (_, s) => ({ ref: String(s + 1), title: `Section ${s + 1}`, effectiveOn: '2020-01' })),
    recommendations: [],
    actions: [],
    updates: [],
    glossary: [],
    organisations: [],
  };
  for (let a = 0; a < actions; a++) {
    const ref = `${(a % sections) + 1}.${Math.floor(a / sections) + 1}`;
    doc.actions.push({
      ref,
      sectionRef: String((a % sections) + 1),
      text: `Action ${ref}: improve the crisis pathway, part ${a}`,
      recommendationRefs: [],
      leadOrganisations: ['Dorset Police'],
      partnerOrganisations: ['Local Authorities'],
      ledByWording: 'Dorset Police with Local Authorities',
      intendedOutcomes: ['People in crisis are seen sooner.'],
      due: { kind: 'date', date: '2025-03', wording: 'March 2025' },
      revisions: [],
      relatedActionRefs: [],
      effectiveOn: '2020-01',
    });
    for (let u = 0; u < updatesPerAction; u++)
      doc.updates.push({
        target: { kind: 'action', ref },
        narrative: `Update ${u + 1} on ${ref}: work continues with partners; next review in the spring.`,
        effectiveOn: `${2020 + u}-0${(u % 9) + 1}`,
      });
  }
  return doc;
};

const fresh = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
  return { store: openSqliteEventStore({ file: path.join(dir, 'ledger.db') }), dir };
};
const deps = (store: EventStore, dir: string) => {
  const aliases = openOrganisationAliases(dir);
  return { store, batch: createBatchHandler({ store }), directory: aliases, actor, learnOrganisations: aliases.learn };
};
const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};

export async function run(): Promise<void> {
  const rows: [string, string, string][] = [];

  // 1. The seed documents.
  const { store: seedStore, dir: seedDir } = fresh();
  let seedsMs = 0;
  for (const { path: file, ...request } of demoPlans) {
    const [summary, ms] = await time(() => importPlan(deps(seedStore, seedDir), { ...request, content: fs.readFileSync(file) }));
    seedsMs += ms;
    rows.push([`seed: ${request.fileName}`, `${ms.toFixed(0)} ms`, `${summary.events} events`]);
  }
  rows.push(['both seed documents', `${seedsMs.toFixed(0)} ms`, `target < 2000 ms: ${seedsMs < 2000 ? 'met' : 'MISSED'}`]);
  await seedStore.close();

  // 2. The generated CSV: three runs, each into a fresh ledger file (the machine is shared, so report the spread).
  const csv = toCsv(generatedPlan(10_000, 5));
  const csvRows = csv.trimEnd().split('\n').length - 1;
  const runs: number[] = [];
  let store!: EventStore;
  let dir = '';
  let summary!: Awaited<ReturnType<typeof importPlan>>;
  for (let n = 0; n < 3; n++) {
    if (store) await store.close();
    ({ store, dir } = fresh());
    const target = { store, dir };
    let ms: number;
    [summary, ms] = await time(() => importPlan(deps(target.store, target.dir), { fileName: 'generated.csv', content: csv }));
    runs.push(ms);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const importMs = sorted[1]!;
  const rate = csvRows / (importMs / 1000);
  rows.push([
    `CSV import: ${csvRows} rows (${(csv.length / 1048576).toFixed(1)} MB), median of 3`,
    `${importMs.toFixed(0)} ms`,
    `${rate.toFixed(0)} rows/s (best ${(csvRows / (sorted[0]! / 1000)).toFixed(0)}, worst ${(csvRows / (sorted[2]! / 1000)).toFixed(0)}); target ≥ 5000: ${rate >= 5000 ? 'met' : 'MISSED'}`,
  ]);

  // Baseline: the same events appended directly, one transaction, no parse/diff/decide.
  const events: NewEvent[] = [];
  for await (const { stream: _s, revision: _r, position: _p, hash: _h, ...e } of store.readStream(planStream('generated')))
    events.push({ ...e, eventId: crypto.randomUUID() });
  const { store: rawStore } = fresh();
  const [, rawMs] = await time(() => rawStore.append({ stream: 'plan-raw', events, expectedRevision: 'noStream', commandId: 'raw' }));
  rows.push([
    `baseline: append the same ${events.length} events directly`,
    `${rawMs.toFixed(0)} ms`,
    `import costs ${(importMs / rawMs).toFixed(1)}× the raw append`,
  ]);
  await rawStore.close();

  // 3. Re-import: nothing new.
  const [again, reMs] = await time(() => importPlan(deps(store, dir), { fileName: 'generated.csv', content: csv }));
  rows.push(['CSV re-import (nothing to write)', `${reMs.toFixed(0)} ms`, `${again.events} events written`]);
  await store.close();
  if (summary.events !== events.length) throw new Error('bench: event count mismatch');

  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nImport benchmark (SQLite file, ${os.cpus().length} cores, Node ${process.version})`);
  for (const [what, ms, note] of rows) console.log(`  ${what.padEnd(width)}  ${ms.padStart(9)}  ${note}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
