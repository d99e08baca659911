import type { Backend } from '../../../src/backend/backend.ts';
import { assembleKurrentBackend } from '../../../src/backend/kurrentdb/open-kurrentdb-backend.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { describeIntegrityContract } from '../../integrity/contract/contract.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

/*
 * The KurrentDB backend's integrity port against the in-process stand-in: a check of the
 * adapter's own logic, NOT evidence that KurrentDB works (the server suites are in
 * test/kurrentdb-server/). Each test gets an empty ledger on an engine of its own.
 */
describeIntegrityContract('KurrentDB adapter on the in-process stand-in (adapter logic only, not KurrentDB)', async () => {
  const engine = new InProcessKurrentDBStandIn();
  const dir = makeTempDir('ledger-integrity-contract-');
  const opened: Backend[] = [];
  const open = async () => {
    const backend = await assembleKurrentBackend(
      { client: engine.connect(), address: 'stand-in:2113', names: ledgerNames() },
      { dataDir: dir.path },
    );
    opened.push(backend);
    return { events: backend.events, integrity: backend.integrity };
  };
  const first = await open();
  return {
    ...first,
    reopen: open,
    dispose: async () => {
      for (const backend of opened) await backend.close();
      dir.remove();
    },
  };
});
