import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { AccessSettings } from './access-config.ts';
import { createAuthenticator, type Authenticator } from './authenticate.ts';
import { createOidcVerifier } from './oidc.ts';
import type { AccessLog, KeyStore } from './port.ts';

/** Everything the HTTP layer needs to authenticate, authorise and record access; passed to buildApp explicitly. */
export interface AccessControl {
  /** The backend's key store, shared by every instance on the ledger. */
  keys: KeyStore;
  /** The backend's access log, shared by every instance on the ledger. */
  log: AccessLog;
  directory: OrganisationDirectory;
  authenticate: Authenticator;
  settings: AccessSettings;
}

export const defaultAccessSettings: AccessSettings = {
  oidc: undefined,
  corsOrigins: [],
  rateLimit: { max: 1200, windowMs: 60_000 },
  headerLimit: 16 * 1024,
};

/** Wires the backend's key store and access log with the settings; the backend owns and closes both. */
export const createAccessControl = (deps: {
  keys: KeyStore;
  log: AccessLog;
  directory: OrganisationDirectory;
  settings?: AccessSettings | undefined;
}): AccessControl => {
  const settings = deps.settings ?? defaultAccessSettings;
  const oidc = settings.oidc ? createOidcVerifier(settings.oidc, deps.directory) : undefined;
  return {
    keys: deps.keys,
    log: deps.log,
    directory: deps.directory,
    authenticate: createAuthenticator({ keys: deps.keys, oidc, directory: deps.directory }),
    settings,
  };
};
