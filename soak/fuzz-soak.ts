import fc from 'fast-check';
import fs from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createBatchHandler } from '../src/commands/command-path.ts';
import { ImportError } from '../src/import/import-error.ts';
import { importPlan } from '../src/import/import-plan.ts';
import { openOrganisationAliases } from '../src/organisations/organisation-aliases.ts';
import { openLedgerService } from '../src/server.ts';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from '../test/support/cli-keys.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { fuzzRequest, seedRequests } from './fuzz-requests.ts';
import { fuzzDocument } from './fuzz-documents.ts';
import type { SoakResult } from './summary.ts';

/**
 * Fuzzing: fast-check makes requests to the whole service as `serve` builds it (access control
 * and all, through inject) and documents for the importer. Any 5xx, or a write from a refused
 * request or a refused import, fails the run. SOAK_FUZZ_CASES (default 1000) cases of each;
 * SOAK_FUZZ_SEED replays a run.
 */
export const run = async (): Promise<SoakResult> => {
  const cases = Number(process.env.SOAK_FUZZ_CASES ?? 1000);
  const seed = Number(process.env.SOAK_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const notes: string[] = [`seed ${seed} (SOAK_FUZZ_SEED=${seed} replays it)`];
  const http = await fuzzHttp(cases, seed, notes);
  const imports = await fuzzImporter(cases, seed, notes);
  const passed = http.serverErrors + http.writesFromRefused + imports.crashes + imports.writesFromRefused === 0;
  return {
    part: 'fuzz',
    passed,
    figures: {
      'HTTP cases': http.cases,
      'HTTP 2xx': http.accepted,
      'HTTP refused': http.refused,
      '5xx': http.serverErrors,
      'writes from refused requests': http.writesFromRefused,
      'import cases': imports.cases,
      'imports refused': imports.refused,
      'importer crashes': imports.crashes,
      'writes from refused imports': imports.writesFromRefused,
    },
    notes,
  };
};

const fuzzHttp = async (cases: number, seed: number, notes: string[]) => {
  const dir = makeTempDir('ledger-soak-fuzz-');
  const key = createKeyWithCli(dir.path, 'plan-manager', 'Fuzz Trust');
  const config = loadConfig({
    LEDGER_DATA_DIR: dir.path,
    LEDGER_DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    LEDGER_RATE_LIMIT_MAX: '1000000000',
  });
  const service = await openLedgerService(config, () => undefined);
  const counter = openSqliteEventStore({ file: join(dir.path, 'ledger.db') });
  const tally = { cases: 0, accepted: 0, refused: 0, serverErrors: 0, writesFromRefused: 0 };
  try {
    for (const request of seedRequests()) {
      const r = await service.app.inject({ ...request, headers: { ...request.headers, authorization: `Bearer ${key}` } });
      if (r.statusCode !== 201) throw new Error(`seeding ${request.url}: ${r.statusCode} ${r.body}`);
    }
    await fc.assert(
      fc.asyncProperty(fuzzRequest(), async (request) => {
        tally.cases++;
        const before = await counter.count();
        const response = await service.app.inject({ ...request, headers: { authorization: `Bearer ${key}`, ...request.headers } });
        const after = await counter.count();
        if (response.statusCode >= 500) {
          tally.serverErrors++;
          notes.push(`${request.method} ${request.url.slice(0, 120)} -> ${response.statusCode} ${response.body.slice(0, 200)}`);
        } else if (response.statusCode >= 400) {
          tally.refused++;
          if (after !== before) {
            tally.writesFromRefused++;
            notes.push(`${request.method} ${request.url.slice(0, 120)} -> ${response.statusCode} wrote ${after - before} event(s)`);
          }
        } else tally.accepted++;
        return true;
      }),
      { numRuns: cases, seed, endOnFailure: false },
    );
  } finally {
    await counter.close();
    await service.stop('fuzzing done');
    dir.remove();
  }
  return tally;
};

const fuzzImporter = async (cases: number, seed: number, notes: string[]) => {
  const dir = makeTempDir('ledger-soak-fuzz-import-');
  const store = openSqliteEventStore({ file: join(dir.path, 'ledger.db') });
  const aliases = openOrganisationAliases(dir.path);
  const actor = { id: 'fuzz', name: 'Fuzz operator', organisation: 'Fuzz Trust', role: 'operator' };
  const deps = { store, batch: createBatchHandler({ store }), directory: aliases, actor, learnOrganisations: aliases.learn };
  const tally = { cases: 0, refused: 0, crashes: 0, writesFromRefused: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(fuzzDocument(), async (document) => {
        tally.cases++;
        const before = await store.count();
        try {
          await importPlan(deps, document);
        } catch (error) {
          if (!(error instanceof ImportError)) {
            tally.crashes++;
            notes.push(`import of ${document.fileName} threw ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`);
            return true;
          }
          tally.refused++;
          if ((await store.count()) !== before) {
            tally.writesFromRefused++;
            notes.push(`refused import of ${document.fileName} (${error.code}) wrote events`);
          }
        }
        return true;
      }),
      { numRuns: cases, seed, endOnFailure: false },
    );
  } finally {
    await store.close();
    fs.rmSync(dir.path, { recursive: true, force: true });
  }
  return tally;
};
