import { openBackend } from '../../src/backend/open-backend.ts';
import { backendTarget } from './contract/backend-target.ts';
import { describeIntegrityContract } from './contract/contract.ts';

/** Each test's ledger: the embedded backend in a fresh data dir, opened as the service opens it. */
describeIntegrityContract('SQLite', () => backendTarget((dataDir) => openBackend({ store: { kind: 'sqlite' }, dataDir })));
