/**
 * One import in a process of its own, so its peak memory (maxRSS) is that import's alone:
 *   node --import tsx bench/import-originals-child.ts <file>
 * Prints one JSON line: wall time, maxRSS, events written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBatchHandler } from '../src/commands/command-path.ts';
import { importPlan } from '../src/import/import-plan.ts';
import { openOrganisationAliases } from '../src/organisations/organisation-aliases.ts';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';

const file = process.argv[2]!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-originals-'));
const store = openSqliteEventStore({ file: path.join(dir, 'ledger.db') });
const aliases = openOrganisationAliases(dir);
const content = fs.readFileSync(file);
const started = performance.now();
const summary = await importPlan(
  {
    store,
    batch: createBatchHandler({ store }),
    directory: aliases,
    actor: { id: 'bench', name: 'Bench', organisation: 'Bench', role: 'operator' },
  },
  { fileName: path.basename(file), content, owner: 'NHS Bench Trust' },
);
const ms = performance.now() - started;
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    ms,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    events: summary.events,
    actions: summary.recorded.actions,
    bytes: content.length,
  }),
);
