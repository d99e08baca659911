import type { Backend } from '../../../src/backend/backend.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import type { IntegrityContractTarget } from './contract.ts';

/**
 * One test's ledger for the integrity contract from a whole backend: `open` opens the backend
 * on a fresh data dir (again for reopen(), as a restarted process would); dispose() closes every
 * backend opened and removes the dir.
 */
export const backendTarget = async (open: (dataDir: string) => Promise<Backend>): Promise<IntegrityContractTarget> => {
  const dir = makeTempDir('ledger-integrity-contract-');
  const opened: Backend[] = [];
  const ports = async () => {
    const backend = await open(dir.path);
    opened.push(backend);
    return { events: backend.events, integrity: backend.integrity };
  };
  return {
    ...(await ports()),
    reopen: ports,
    dispose: async () => {
      for (const backend of opened) await backend.close();
      dir.remove();
    },
  };
};
