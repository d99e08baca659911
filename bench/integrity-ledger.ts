/**
 * The bench ledger of the integrity and copy benches: `events` single-event commands over
 * PLANS plans, with signed checkpoints at half and full size. Generated once, straight through
 * the store's own append code (so every event carries its real chain hash and command result),
 * and cached in os.tmpdir() keyed by generator version and size.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../src/backend/open-backend.ts';
import { KEPT_CHECKPOINT_FILE } from '../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../src/integrity/ledger-integrity.ts';
import { loadSigningKey, type LedgerSigningKey } from '../src/integrity/signing-key.ts';
import { applyAppend } from '../src/store/sqlite/apply-append.ts';
import { openConnection } from '../src/store/sqlite/connection.ts';
import { migrate } from '../src/store/sqlite/schema.ts';
import { prepareStatements } from '../src/store/sqlite/statements.ts';
import { makeEvent } from '../test/support/events.ts';

const GENERATOR_VERSION = 1;
export const PLANS = 1000;

/** The integrity services as `ledger verify` opens them: through the backend of the data dir. */
export const openIntegrity = async (dir: string, key: LedgerSigningKey) => {
  const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir });
  const ledger = createLedgerIntegrity({
    integrity: backend.integrity,
    events: backend.events,
    key,
    keptCheckpointFile: join(dir, KEPT_CHECKPOINT_FILE),
  });
  return {
    ...ledger,
    close: async () => {
      await ledger.close();
      await backend.close();
    },
  };
};

/** The cached ledger of `events` events over PLANS plans, with checkpoints at half and full size. */
export const cachedLedger = async (events: number): Promise<{ dir: string; file: string; generatedSeconds?: number }> => {
  const dir = join(tmpdir(), `assurance-ledger-integrity-bench-v${GENERATOR_VERSION}-${events}`);
  const file = join(dir, 'ledger.db');
  const done = join(dir, 'complete');
  if (fs.existsSync(done)) return { dir, file };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const db = openConnection(file, 5000);
  db.pragma('synchronous = OFF'); // generation only: the file is thrown away if interrupted
  migrate(db);
  const s = prepareStatements(db);
  const key = loadSigningKey({ dataDir: dir }).key;
  const ledger = await openIntegrity(dir, key);
  const batch = 5000;
  for (let first = 0; first < events; first += batch) {
    db.transaction(() => {
      for (let i = first; i < Math.min(events, first + batch); i++) {
        const commandId = `bench-${i}`;
        applyAppend(s, {
          stream: `plan-bench-${i % PLANS}`,
          events: [makeEvent({ commandId, correlationId: commandId })],
          expectedRevision: 'any',
          commandId,
        });
      }
    })();
    if (first + batch === Math.floor(events / 2 / batch) * batch + batch || first + batch >= events) await ledger.checkpointNow();
    if ((first / batch) % 20 === 0) process.stderr.write(`\rgenerating: ${first + batch} / ${events}`);
  }
  process.stderr.write('\n');
  await ledger.close();
  db.close();
  fs.writeFileSync(done, new Date().toISOString());
  return { dir, file, generatedSeconds: (performance.now() - started) / 1000 };
};
