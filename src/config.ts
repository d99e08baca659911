import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { envInteger } from './env-integer.ts';
import { AccessEnv, toAccessSettings, type AccessSettings } from './access/access-config.ts';
import { parseStoreSetting, type StoreSetting } from './backend/store-setting.ts';
import { toWebOidcSettings, WebOidcEnv, type WebOidcSettings } from './access/oidc-sign-in-config.ts';
import type { ScheduledBackupSettings } from './backup/backup-child.ts';

/**
 * Configuration from the environment, parsed once at start-up. A bad value stops the
 * service with a message naming the variable, instead of surfacing later as a strange error.
 */
const ConfigSchema = z
  .object({
    PORT: envInteger(0, 65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    LEDGER_DATA_DIR: z.string().min(1).default('./data'),
    /** Where the ledger lives: unset or "sqlite" for the embedded store in the data dir, or a kurrentdb:// connection string. */
    LEDGER_STORE: z
      .string()
      .optional()
      .transform((value, ctx) => {
        try {
          return parseStoreSetting(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /**
     * Where evidence files are kept (default: evidence/ in the data dir). Every instance on one ledger must
     * reach the same folder: on several machines, a volume they all mount (docs/evidence.md).
     */
    LEDGER_EVIDENCE_DIR: z.string().min(1).optional(),
    /** The largest evidence file accepted, in bytes (larger gets 413). */
    LEDGER_EVIDENCE_MAX_BYTES: envInteger(1, 1024 * 1024 * 1024).default(25 * 1024 * 1024),
    /**
     * How long a stored file nothing references is kept before it is swept away: far longer
     * than any upload can take between storing its file and recording its event.
     */
    LEDGER_EVIDENCE_GRACE_MINUTES: envInteger(1, 7 * 24 * 60).default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Largest accepted request body in bytes: action plans are text, not attachments. */
    LEDGER_BODY_LIMIT: envInteger(1024, 50 * 1024 * 1024).default(256 * 1024),
    /** The local operator every event is attributed to until access control identifies callers. */
    LEDGER_OPERATOR_ID: z.string().min(1).default('local-operator'),
    LEDGER_OPERATOR_NAME: z.string().min(1).default('Local operator'),
    LEDGER_OPERATOR_ORGANISATION: z.string().min(1).default('Local installation'),
    /** On an empty ledger, import the two example plans so a new user sees real plans with real history. */
    LEDGER_DEMO_DATA: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('true'),
    /** The Ed25519 checkpoint key as PKCS#8 PEM text, or a file holding it; neither: generated in the data dir. */
    LEDGER_SIGNING_KEY: z.string().min(1).optional(),
    LEDGER_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /**
     * On SIGTERM, how long requests under way may take to finish before their connections are
     * closed (a client stalled part-way through its body would hold the stop open for good). A
     * write cut off is written whole or not at all.
     */
    LEDGER_SHUTDOWN_GRACE_MS: envInteger(0, 10 * 60 * 1000).default(10_000),
    /** How often a checkpoint is signed when the ledger grew; 0 turns the schedule off. */
    LEDGER_CHECKPOINT_INTERVAL_MS: envInteger(0, 24 * 60 * 60 * 1000).default(60_000),
    /**
     * Signs web sessions and CSRF tokens; every instance needs the same. Unset: derived from the signing key
     * (src/access/session-secret.ts).
     */
    LEDGER_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How long a web session lasts from sign-in. */
    LEDGER_SESSION_HOURS: envInteger(1, 24 * 7).default(8),
    /**
     * Which proxies' X-Forwarded-For/-Proto to believe: "false" (none, the default), "true"
     * (any: only when nothing but the proxy can reach the service), or a comma list
     * of addresses and CIDR ranges. Behind TLS termination, session cookies are then Secure.
     */
    LEDGER_TRUST_PROXY: z.string().min(1).default('false'),
    /** Months of the access log kept live (this month and the n-1 before it); `ledger access-log archive` archives the rest. */
    LEDGER_ACCESS_LOG_LIVE_MONTHS: envInteger(1, 1200).default(3),
    /** How long archived access-log segments are kept before they are due for review (docs/operations.md#access-log-retention). */
    LEDGER_ACCESS_LOG_RETENTION_YEARS: envInteger(1, 200).default(20),
    /** Where scheduled backups go; unset: no scheduled backups (docs/operations.md). */
    LEDGER_BACKUP_DIR: z.string().min(1).optional(),
    /** How often a scheduled backup is due (one instance takes each); 0 turns the schedule off. */
    LEDGER_BACKUP_INTERVAL_MS: envInteger(0, 366 * 24 * 60 * 60 * 1000).default(24 * 60 * 60 * 1000),
    /** How many scheduled backups are kept in LEDGER_BACKUP_DIR; older ones are removed after each new one. */
    LEDGER_BACKUP_KEEP: envInteger(1, 10_000).default(7),
    /** A file whose first line encrypts the signing key into each scheduled backup; unset: the key stays out of backups. */
    LEDGER_BACKUP_PASSPHRASE_FILE: z.string().min(1).optional(),
    /**
     * Threads that each read part of a view over every plan at a clock (projections/every-plan/);
     * 0: every read on the main thread. By default one fewer than the cores, at most 3.
     */
    LEDGER_READ_WORKERS: envInteger(0, 16).default(Math.max(0, Math.min(3, availableParallelism() - 1))),
  })
  .extend(AccessEnv.shape)
  .extend(WebOidcEnv.shape);

const trustProxyOf = (value: string): boolean | string[] => {
  if (value === 'false') return false;
  if (value === 'true') return true;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
};

export type Config = {
  port: number;
  host: string;
  /** Which backend holds the ledger (LEDGER_STORE). */
  store: StoreSetting;
  /** This instance's local state: the embedded ledger, read models, signing key file, kept checkpoint. */
  dataDir: string;
  /** The embedded ledger's file (used only when store is sqlite). */
  databaseFile: string;
  /** Evidence files: where they are kept, the largest accepted, and how long an unreferenced one is kept. */
  evidence: { dir: string; maxBytes: number; graceMs: number };
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  bodyLimit: number;
  operator: { id: string; name: string; organisation: string; role: string };
  demoData: boolean;
  /** API keys, OpenID Connect, CORS, rate and header limits (src/access/access-config.ts). */
  access: AccessSettings;
  signingKey: { pem?: string | undefined; file?: string | undefined };
  /** Set by `serve --new-signing-key` only (never from the environment): the operator's reason to replace a lost signing key. */
  replaceLostSigningKey?: string | undefined;
  checkpointIntervalMs: number;
  shutdownGraceMs: number;
  web: { sessionSecret: string | undefined; sessionSeconds: number; trustProxy: boolean | string[] };
  /** OpenID Connect sign-in for the pages (src/access/oidc-sign-in-config.ts); undefined when not configured. */
  webOidc: WebOidcSettings | undefined;
  /** Access-log retention: months kept live, years archived segments are kept before review. */
  accessLog: { liveMonths: number; retentionYears: number };
  /** Scheduled backups (LEDGER_BACKUP_*); undefined when LEDGER_BACKUP_DIR is unset or the interval is 0. */
  backups: ScheduledBackupSettings | undefined;
  /** Threads reading parts of the views over every plan at a clock (LEDGER_READ_WORKERS). */
  readWorkers: number;
};

export class ConfigError extends Error {}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  let access: AccessSettings;
  try {
    access = toAccessSettings(c);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${(error as Error).message}`);
  }
  let webOidc: WebOidcSettings | undefined;
  try {
    webOidc = toWebOidcSettings(c);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${(error as Error).message}`);
  }
  const dataDir = path.resolve(c.LEDGER_DATA_DIR);
  return {
    port: c.PORT,
    host: c.HOST,
    store: c.LEDGER_STORE,
    dataDir,
    databaseFile: path.join(dataDir, 'ledger.db'),
    evidence: {
      dir: c.LEDGER_EVIDENCE_DIR ? path.resolve(c.LEDGER_EVIDENCE_DIR) : path.join(dataDir, 'evidence'),
      maxBytes: c.LEDGER_EVIDENCE_MAX_BYTES,
      graceMs: c.LEDGER_EVIDENCE_GRACE_MINUTES * 60_000,
    },
    logLevel: c.LOG_LEVEL,
    bodyLimit: c.LEDGER_BODY_LIMIT,
    operator: { id: c.LEDGER_OPERATOR_ID, name: c.LEDGER_OPERATOR_NAME, organisation: c.LEDGER_OPERATOR_ORGANISATION, role: 'operator' },
    demoData: ['true', '1', 'yes'].includes(c.LEDGER_DEMO_DATA),
    access,
    signingKey: { pem: c.LEDGER_SIGNING_KEY, file: c.LEDGER_SIGNING_KEY_FILE && path.resolve(c.LEDGER_SIGNING_KEY_FILE) },
    checkpointIntervalMs: c.LEDGER_CHECKPOINT_INTERVAL_MS,
    shutdownGraceMs: c.LEDGER_SHUTDOWN_GRACE_MS,
    web: {
      sessionSecret: c.LEDGER_SESSION_SECRET,
      sessionSeconds: c.LEDGER_SESSION_HOURS * 3600,
      trustProxy: trustProxyOf(c.LEDGER_TRUST_PROXY),
    },
    webOidc,
    accessLog: { liveMonths: c.LEDGER_ACCESS_LOG_LIVE_MONTHS, retentionYears: c.LEDGER_ACCESS_LOG_RETENTION_YEARS },
    backups:
      c.LEDGER_BACKUP_DIR && c.LEDGER_BACKUP_INTERVAL_MS > 0
        ? {
            dir: path.resolve(c.LEDGER_BACKUP_DIR),
            intervalMs: c.LEDGER_BACKUP_INTERVAL_MS,
            keep: c.LEDGER_BACKUP_KEEP,
            passphraseFile: c.LEDGER_BACKUP_PASSPHRASE_FILE && path.resolve(c.LEDGER_BACKUP_PASSPHRASE_FILE),
          }
        : undefined,
    readWorkers: c.LEDGER_READ_WORKERS,
  };
};
