import { openBackend } from '../src/backend/open-backend.ts';
import { KEPT_CHECKPOINT_FILE } from '../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../src/integrity/ledger-integrity.ts';
import { loadSigningKey, NoSigningKey } from '../src/integrity/signing-key.ts';
import type { VerifyReport } from '../src/integrity/verify-report.ts';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { join } from 'node:path';

/** What a data dir's ledger holds, read straight from the file with the service down. */
export const ledgerFacts = async (dataDir: string) => {
  const store = openSqliteEventStore({ file: join(dataDir, 'ledger.db') });
  const eventIds = new Set<string>();
  const sections = new Set<string>();
  const sectionRefs: string[] = [];
  let duplicateSections = 0;
  try {
    for await (const event of store.readAll()) {
      eventIds.add(event.eventId);
      if (event.type !== 'SectionAdded') continue;
      const { sectionRef } = event.data as { sectionRef: string };
      sectionRefs.push(sectionRef);
      const section = `${event.stream}/${sectionRef}`;
      if (sections.has(section)) duplicateSections++;
      sections.add(section);
    }
  } finally {
    await store.close();
  }
  return { eventIds, count: eventIds.size, duplicateSections, sectionRefs };
};

/** `ledger verify` on a data dir, in this process; undefined when there is no key yet (a start killed before it made one). */
export const verifyDataDir = async (dataDir: string, storageCheck: 'full' | 'quick' = 'full'): Promise<VerifyReport | undefined> => {
  let key;
  try {
    key = loadSigningKey({ dataDir, generate: false }).key;
  } catch (error) {
    if (error instanceof NoSigningKey) return undefined;
    throw error;
  }
  const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir }, { create: false });
  const ledger = createLedgerIntegrity({
    integrity: backend.integrity,
    events: backend.events,
    key,
    keptCheckpointFile: join(dataDir, KEPT_CHECKPOINT_FILE),
  });
  try {
    return await ledger.verify(undefined, { storageCheck });
  } finally {
    await ledger.close();
    await backend.close();
  }
};
