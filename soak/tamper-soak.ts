import fs from 'node:fs';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { verifyDataDir } from './ledger-check.ts';
import type { SoakResult } from './summary.ts';
import { tamperCases } from './tamper-cases.ts';
import { seedDataDir } from './tamper-seed.ts';

/**
 * Tampering: one case for every table and column class of every database in the data dir
 * (ledger.db, access.db, access-log.db, read-models.db) and its files, each on a fresh copy of
 * one seed data dir. Verify must name every case expected to be caught; the others are listed
 * as undetectable by verify, with the reason (docs/soak.md). A case missed fails the run.
 */
export const run = async (): Promise<SoakResult> => {
  const seedDir = makeTempDir('ledger-soak-tamper-seed-');
  const seed = await seedDataDir(seedDir.path);
  const tally = { caught: 0, documented: 0, missed: 0 };
  const notes: string[] = [];
  for (const c of tamperCases) {
    const copy = makeTempDir('ledger-soak-tamper-');
    try {
      fs.cpSync(seedDir.path, copy.path, { recursive: true });
      c.tamper(copy.path, seed);
      const report = await verifyDataDir(copy.path).catch((error: unknown) => ({
        ok: false,
        failure: { kind: 'verify-threw', message: (error as Error).stack ?? String(error) },
      }));
      const found = report && !report.ok ? report.failure : undefined;
      const label = `${c.file} ${c.name}`;
      if ('caught' in c.expect) {
        if (!found) {
          tally.missed++;
          notes.push(`MISSED ${label}`);
        } else {
          tally.caught++;
          const expected = c.expect.caught.includes(found.kind);
          console.log(`caught      ${label}: ${found.kind}${expected ? '' : ` (expected ${c.expect.caught.join(' or ')})`}`);
          if (!expected) notes.push(`${label}: caught as ${found.kind} (${found.message}), expected ${c.expect.caught.join(' or ')}`);
        }
      } else if (found) {
        tally.caught++;
        console.log(`caught      ${label}: ${found.kind} (listed as undetectable)`);
      } else {
        tally.documented++;
        console.log(`documented  ${label}: ${c.expect.documented}`);
      }
    } finally {
      copy.remove();
    }
  }
  seedDir.remove();
  return {
    part: 'tamper',
    passed: tally.missed === 0,
    figures: { cases: tamperCases.length, caught: tally.caught, documented: tally.documented, missed: tally.missed },
    notes,
  };
};
