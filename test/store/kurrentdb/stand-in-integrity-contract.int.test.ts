import { assembleKurrentBackend } from '../../../src/backend/kurrentdb/open-kurrentdb-backend.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { backendTarget } from '../../integrity/contract/backend-target.ts';
import { describeIntegrityContract } from '../../integrity/contract/contract.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

/*
 * The KurrentDB backend's integrity port against the in-process stand-in: a check of the
 * adapter's own logic, NOT evidence that KurrentDB works (the server suites are in
 * test/kurrentdb-server/). Each test gets an empty ledger on an engine of its own.
 */
describeIntegrityContract('KurrentDB adapter on the in-process stand-in (adapter logic only, not KurrentDB)', () => {
  const engine = new InProcessKurrentDBStandIn();
  return backendTarget((dataDir) =>
    assembleKurrentBackend({ client: engine.connect(), address: 'stand-in:2113', names: ledgerNames() }, { dataDir }),
  );
});
