/**
 * Which backend holds the ledger, from LEDGER_STORE: unset or `sqlite` is the embedded store
 * in the data dir; a KurrentDB connection string (`kurrentdb://…` or `kurrentdb+discover://…`)
 * is a KurrentDB server or cluster. Every backend keeps its local, rebuildable state (read
 * models, the Merkle node cache where it is not in the ledger, the kept checkpoint) in the data dir.
 */
export type StoreSetting = { kind: 'sqlite' } | { kind: 'kurrentdb'; connectionString: string };

export type BackendKind = StoreSetting['kind'];

const KURRENTDB_SCHEMES = ['kurrentdb://', 'kurrentdb+discover://'];

/** The setting, or an Error whose message says what LEDGER_STORE may be. */
export const parseStoreSetting = (value: string | undefined): StoreSetting => {
  if (value === undefined || value === '' || value === 'sqlite') return { kind: 'sqlite' };
  if (KURRENTDB_SCHEMES.some((scheme) => value.startsWith(scheme)) && value.length > value.indexOf('//') + 2)
    return { kind: 'kurrentdb', connectionString: value };
  throw new Error(`must be "sqlite" or a KurrentDB connection string (${KURRENTDB_SCHEMES.map((s) => `${s}…`).join(' or ')})`);
};

/** The setting as it may be logged: a connection string without its password. */
export const describeStoreSetting = (setting: StoreSetting): string => {
  if (setting.kind === 'sqlite') return 'sqlite';
  return setting.connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
};
