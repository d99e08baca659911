import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from './cli-keys.ts';
import { generatePlanLedger } from './plan-ledger-generator.ts';
import { makeTempDir } from './temp-dir.ts';

interface Backlog {
  /** The data dir, to be copied, never opened in place. */
  data: string;
  head: string;
  key: string;
}

/** Each backlog this process has found or generated, by its number of events. */
const found = new Map<number, Backlog>();

/**
 * The data dir of a backlog of `events` events with a viewer's key, generated once for the whole run: generating 48,000
 * events takes seconds, copying them a fraction of one, and the generator is deterministic, so every copy is the ledger a
 * generation of its own would write. A process that generates it while another does keeps whichever was there first.
 */
const backlog = async (events: number): Promise<Backlog> => {
  const known = found.get(events);
  if (known) return known;
  const at = path.join(inject('generatedFixturesDir'), `backlog-${events}`);
  if (!existsSync(at)) {
    const making = mkdtempSync(`${at}.making-`);
    const data = path.join(making, 'data');
    mkdirSync(data);
    const store = openSqliteEventStore({ file: path.join(data, 'ledger.db') });
    await generatePlanLedger(store, { events, plans: 12, perAppend: 400 });
    const head = String(await store.headPosition());
    await store.close();
    const key = createKeyWithCli(data, 'viewer', 'Dorset CCG');
    writeFileSync(path.join(making, 'backlog.json'), JSON.stringify({ head, key }));
    try {
      renameSync(making, at);
    } catch (error) {
      rmSync(making, { recursive: true, force: true });
      // Another process put its own there meanwhile (the same ledger); any other failure is one.
      if (!existsSync(at)) throw error;
    }
  }
  const { head, key } = JSON.parse(readFileSync(path.join(at, 'backlog.json'), 'utf8')) as { head: string; key: string };
  const made = { data: path.join(at, 'data'), head, key };
  found.set(events, made);
  return made;
};

/**
 * A data dir whose ledger holds a generated backlog over 12 plans and no views yet, as a start
 * whose views are rebuilt finds it, with a viewer's key: its `remove` is the caller's to call.
 */
export const dataDirWithBacklog = async (prefix: string, events: number) => {
  const { data, head, key } = await backlog(events);
  const dir = makeTempDir(prefix);
  cpSync(data, dir.path, { recursive: true });
  return { dir, head: BigInt(head), key };
};
