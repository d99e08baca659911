import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { openReadModels } from '../projections/read-models.ts';
import { planDetail } from '../projections/plan-status/plan-view.ts';
const dir = '/tmp/assurance-ledger-bench/g1-100000-200-10000';
const store = openSqliteEventStore({ file: dir + '/ledger.db' });
const rm = openReadModels({ store, dataDir: dir });
const asOf = new Date().toISOString();
for (let i = 0; i < 15; i++) {
  let t = performance.now();
  let n = 0;
  for await (const e of store.readStream('plan-plan-00000')) n++;
  const tr = performance.now() - t; t = performance.now();
  const doc = await rm.reader.planDoc('plan-00000', asOf);
  const tf = performance.now() - t; t = performance.now();
  const d = planDetail(doc!, '2026-11-23');
  const tv = performance.now() - t; t = performance.now();
  const s = JSON.stringify(d);
  const ts = performance.now() - t;
  if (i > 10) console.log({ n, read: tr.toFixed(1), fold: tf.toFixed(1), view: tv.toFixed(1), stringify: ts.toFixed(1), bytes: s.length });
}
