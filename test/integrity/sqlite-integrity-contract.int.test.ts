import { openBackend } from '../../src/backend/open-backend.ts';
import type { Backend } from '../../src/backend/backend.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { describeIntegrityContract } from './contract/contract.ts';

/** Each test's ledger: the embedded backend in a fresh data dir, opened as the service opens it. */
describeIntegrityContract('SQLite', async () => {
  const dir = makeTempDir('ledger-integrity-contract-');
  const opened: Backend[] = [];
  const open = async () => {
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
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
