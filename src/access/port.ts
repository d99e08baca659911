import type { Role } from './roles.ts';

/**
 * The shared state of access control, behind ports so that several service instances on one
 * ledger share it: a key created or revoked through one instance holds on every instance's
 * next request, and every instance's access records land in one durable place. The embedded
 * implementations (src/access/sqlite/) keep them in the data dir; a distributed backend keeps
 * them beside its ledger. Rate-limit counters are deliberately not shared: see
 * docs/access-control.md ("Rate limits with several instances").
 */

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  role: Role;
  organisation: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface NewApiKey {
  name: string;
  role: Role;
  organisation: string;
  createdBy: string;
}

/** A key as created: the key itself is in this answer only; only its hash is kept. */
export interface CreatedApiKey {
  key: string;
  record: ApiKeyRecord;
}

export interface KeyStore {
  create(input: NewApiKey): Promise<CreatedApiKey>;
  /**
   * The first key of an installation, only if no key was ever issued (revoked ones count:
   * revoking every key is a choice). Atomic across instances: two starting together make one.
   */
  createIfNone(input: NewApiKey): Promise<CreatedApiKey | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** False when there is no such key or it was already revoked: a revocation is never rewritten. */
  revoke(keyId: string, revokedBy: string): Promise<boolean>;
  /** Every key ever issued, revoked ones included. */
  countAll(): Promise<number>;
  /**
   * The live key record for a presented key, or undefined: malformed, unknown, wrong secret and
   * revoked look alike. Runs on every API-key request; a revocation committed by any instance
   * must be honoured by the next request this one serves after it.
   */
  verify(presented: string): Promise<ApiKeyRecord | undefined>;
}

export interface AccessLogEntry {
  at: string;
  principalId: string | null;
  principalName: string | null;
  role: string | null;
  organisation: string | null;
  method: string;
  /** The route pattern, e.g. /plans/:planId/events, so reads of one kind can be found together. */
  route: string;
  /** Path and query string as requested. */
  path: string;
  planId: string | null;
  status: number;
  requestId: string;
  ip: string | null;
}

/** A recorded entry; `id` grows with every record, across instances, and pages the log. */
export type LoggedAccess = AccessLogEntry & { id: number };

export interface AccessLogQuery {
  after?: number | undefined;
  limit: number;
  principalId?: string | undefined;
  planId?: string | undefined;
  route?: string | undefined;
  status?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface AccessLogPage {
  entries: LoggedAccess[];
  /** Pass as `after` for the next page; null on the last. */
  next: number | null;
}

/** The durable log of reads of sensitive detail. */
export interface AccessLog {
  /** Resolves only once the entry is durable, so the caller can hold the response until then. */
  record(entry: AccessLogEntry): Promise<void>;
  /** Oldest first, paged by id. */
  query(query: AccessLogQuery): Promise<AccessLogPage>;
  /** Records accepted but not yet durable (waiting for, or in, a commit): the write backlog metrics report. */
  backlog?(): number;
  /** Makes everything recorded so far durable, then releases the log. */
  close(): Promise<void>;
}
