import fs from 'node:fs';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { actor, recordPlan } from './view-support.ts';

/** A data dir with the ledger's signing key and the Dorset plan of view-support.ts: three events, positions 0 to 2. */
export const signedLedger = async (dirs: ReturnType<typeof makeTempDir>[]) => {
  const dir = makeTempDir('ledger-verify-view-');
  dirs.push(dir);
  loadSigningKey({ dataDir: dir.path });
  await recordPlan(dir.file('ledger.db'));
  fs.writeFileSync(dir.file('public.pem'), loadSigningKey({ dataDir: dir.path }).key.publicKeyPem);
  return dir;
};

/** One more action agreed for Dorset, recorded now: after any asOf taken before it. */
export const agreeAnotherAction = async (file: string) => {
  const store = openSqliteEventStore({ file });
  await createCommandHandler({ store })(
    'dorset',
    {
      type: 'AgreeAction',
      data: {
        ref: '1.2',
        text: 'Train the staff',
        recommendationRefs: [],
        leadOrganisations: ['Dorset CCG'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'date', date: '2017-06' },
        relatedActionRefs: [],
      },
    },
    { actor, commandId: 'later', correlationId: 'view', provenance: { source: 'api' }, effectiveOn: '2015-06' },
  );
  await store.close();
};

export const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
