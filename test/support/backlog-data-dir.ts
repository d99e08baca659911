import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from './cli-keys.ts';
import { generatePlanLedger } from './plan-ledger-generator.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * A data dir whose ledger holds a generated backlog over 12 plans and no views yet, as a start
 * whose views are rebuilt finds it, with a viewer's key: its `remove` is the caller's to call.
 */
export const dataDirWithBacklog = async (prefix: string, events: number) => {
  const dir = makeTempDir(prefix);
  const store = openSqliteEventStore({ file: dir.file('ledger.db') });
  await generatePlanLedger(store, { events, plans: 12, perAppend: 400 });
  const head = await store.headPosition();
  await store.close();
  return { dir, head: head!, key: createKeyWithCli(dir.path, 'viewer', 'Dorset CCG') };
};
