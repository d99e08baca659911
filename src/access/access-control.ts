import type { Db } from '../store/sqlite/connection.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { AccessSettings } from './access-config.ts';
import { openAccessLogDb, openKeysDb, type AccessFiles } from './access-db.ts';
import { createAccessLog, type AccessLog } from './access-log.ts';
import { createAuthenticator, type Authenticator } from './authenticate.ts';
import { createKeyStore, type KeyStore } from './key-store.ts';
import { createOidcVerifier } from './oidc.ts';

/** Everything the HTTP layer needs to authenticate, authorise and record access; passed to buildApp explicitly. */
export interface AccessControl {
  /** access.db (keys) and access-log.db. */
  files: AccessFiles;
  keys: KeyStore;
  log: AccessLog;
  directory: OrganisationDirectory;
  authenticate: Authenticator;
  settings: AccessSettings;
  /** Commits every access record still on its way, then closes both files. */
  close: () => Promise<void>;
}

export const defaultAccessSettings: AccessSettings = {
  oidc: undefined,
  corsOrigins: [],
  rateLimit: { max: 1200, windowMs: 60_000 },
  headerLimit: 16 * 1024,
};

export const createAccessControl = (deps: {
  files: AccessFiles;
  directory: OrganisationDirectory;
  settings?: AccessSettings | undefined;
  clock?: () => Date;
}): AccessControl => {
  const settings = deps.settings ?? defaultAccessSettings;
  const keysDb: Db = openKeysDb(deps.files.keys);
  const logDb: Db = openAccessLogDb(deps.files.log);
  const keys = createKeyStore(keysDb, deps.clock);
  const oidc = settings.oidc ? createOidcVerifier(settings.oidc, deps.directory) : undefined;
  const log = createAccessLog(logDb, deps.files.log);
  return {
    files: deps.files,
    keys,
    log,
    directory: deps.directory,
    authenticate: createAuthenticator({ keys, oidc, directory: deps.directory }),
    settings,
    close: async () => {
      await log.close();
      logDb.close();
      keysDb.close();
    },
  };
};
