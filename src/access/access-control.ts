import type { Db } from '../store/sqlite/connection.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { AccessSettings } from './access-config.ts';
import { openAccessDb } from './access-db.ts';
import { createAccessLog, type AccessLog } from './access-log.ts';
import { createAuthenticator, type Authenticator } from './authenticate.ts';
import { createKeyStore, type KeyStore } from './key-store.ts';
import { createOidcVerifier } from './oidc.ts';

/** Everything the HTTP layer needs to authenticate, authorise and record access; passed to buildApp explicitly. */
export interface AccessControl {
  /** The access.db file: keys and the access log. */
  file: string;
  keys: KeyStore;
  log: AccessLog;
  directory: OrganisationDirectory;
  authenticate: Authenticator;
  settings: AccessSettings;
  /** Commits every access record still on its way, then closes access.db. */
  close: () => Promise<void>;
}

export const defaultAccessSettings: AccessSettings = {
  oidc: undefined,
  corsOrigins: [],
  rateLimit: { max: 1200, windowMs: 60_000 },
  headerLimit: 16 * 1024,
};

export const createAccessControl = (deps: {
  file: string;
  directory: OrganisationDirectory;
  settings?: AccessSettings | undefined;
  clock?: () => Date;
}): AccessControl => {
  const settings = deps.settings ?? defaultAccessSettings;
  const db: Db = openAccessDb(deps.file);
  const keys = createKeyStore(db, deps.clock);
  const oidc = settings.oidc ? createOidcVerifier(settings.oidc, deps.directory) : undefined;
  const log = createAccessLog(db, deps.file);
  return {
    file: deps.file,
    keys,
    log,
    directory: deps.directory,
    authenticate: createAuthenticator({ keys, oidc, directory: deps.directory }),
    settings,
    close: async () => {
      await log.close();
      db.close();
    },
  };
};
