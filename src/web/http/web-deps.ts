import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../access/authenticate.ts';
import type { Sessions } from '../../access/session.ts';
import type { BatchHandler } from '../../commands/command-path.ts';
import type { CommandRouteDeps } from '../../http/command-route.ts';
import type { ReadModelDeps } from '../../http/read-query.ts';
import type { LedgerIntegrity } from '../../integrity/ledger-integrity.ts';
import type { OrganisationAliases } from '../../organisations/organisation-aliases.ts';
import type { EventStore } from '../../store/port.ts';
import type { OidcSignIn } from '../../access/oidc-sign-in.ts';
import type { BlobStore } from '../../blobs/port.ts';
import type { EvidenceSettings } from '../../evidence/receive-evidence-file.ts';
import type { RouteMethods } from '../../http/route-methods.ts';
import type { OperationsStore } from '../../operations/port.ts';

/** What the pages read and write through: the same read models, command path and integrity services as the API. */
export interface WebRouteDeps {
  sessions: Sessions;
  /** The API's own authenticator: a key typed into the sign-in form is checked exactly as a bearer key is. */
  authenticate: Authenticator;
  /** Signs sessions and keys CSRF tokens; the same on every instance. */
  secret: Uint8Array;
  store: EventStore;
  read: ReadModelDeps;
  commands: CommandRouteDeps;
  /** The app's one command path for batches: an import from the pages shares its plan queues and state cache. */
  batch: BatchHandler;
  aliases: OrganisationAliases;
  ledger?: LedgerIntegrity | undefined;
  /** What every instance recorded of its operations: the integrity page's last verification. */
  operations?: Pick<OperationsStore, 'latest'> | undefined;
  /** OpenID Connect sign-in, when configured. */
  oidc?: OidcSignIn | undefined;
  /** Evidence files: attached on the action pages, downloaded where evidence is listed (absent: links only). */
  evidence?: { blobs: BlobStore; settings: EvidenceSettings } | undefined;
  clock: () => Date;
  /** The methods an address takes, so that a page's address asked with another is told 405, not that no page is there. */
  routeMethods?: RouteMethods | undefined;
}

/** The path and query of a request, never a full URL: what a sign-in may send people back to. */
export const safeNext = (next: unknown): string => {
  if (typeof next !== 'string' || !next.startsWith('/web') || next.startsWith('//') || /[\\\r\n]/.test(next)) return '/web';
  return next;
};

export type PageRequest = FastifyRequest;
