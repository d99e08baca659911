import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../events/envelope.ts';
import { londonDay } from '../domain/calendar.ts';
import { DomainError } from '../domain/errors.ts';
import { aliasChanges } from '../organisations/alias-changes.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { WrongExpectedRevision, type EventStore } from '../store/port.ts';
import { parseCsvPlan } from './csv-plan.ts';
import { ImportError } from './import-error.ts';
import { parseJsonPlan } from './json-plan.ts';
import { readLedgerPlan } from './ledger-plan.ts';
import { countDocument, planCommands, type FactCounts } from './plan-commands.ts';
import { DocumentPlan, type ImportWarning, type ParsedDocument, type PlanDocument } from './plan-document.ts';
import { decodeDocument, detectFormat, type DocumentFormat } from './read-document.ts';
import { parseTextPlan } from './text-plan.ts';
import type { TextPlanOptions } from './text-plan-input.ts';
import { BatchCommandRefused, type BatchContext } from '../commands/command-requests.ts';
import type { BatchHandler } from '../commands/command-path.ts';

export interface ImportRequest {
  fileName: string;
  content: Uint8Array | string;
  /** Import into this plan id instead of the one the document or file name gives. */
  planId?: string | undefined;
  owner?: string | undefined;
  title?: string | undefined;
  kind?: TextPlanOptions['kind'];
  format?: DocumentFormat | undefined;
  dryRun?: boolean | undefined;
}

export interface ImportDeps {
  store: EventStore;
  batch: BatchHandler;
  directory: OrganisationDirectory;
  /** The importing user: every event is theirs. */
  actor: Actor;
  /** Refuses (throws) a command the importing user may not run on the plan as it stands; absent for the local operator (CLI, demo data). */
  authorise?: BatchContext['authorise'];
  clock?: () => Date;
  maxBytes?: number;
  /**
   * Called with the organisations and aliases the document taught, after a real (not dry) import; awaited, so they are
   * kept before the answer.
   */
  learnOrganisations?: (organisations: PlanDocument['organisations']) => Promise<void> | void;
  /**
   * Refuse (403 organisation-alias-not-permitted) a document that would give any name a new
   * meaning in the directory: set for imports by a principal over HTTP, since the directory
   * decides which organisation every credential acts for (such imports also learn nothing).
   * Only the CLI (which runs with the data directory's file access) and the operator who
   * edits the alias file may change it.
   */
  refuseNewAliases?: boolean;
  /** Progress on long imports: each stage as it finishes. */
  onStage?: (message: string) => void;
}

export interface ImportSummary {
  planId: string;
  title: string;
  file: string;
  sha256: string;
  format: DocumentFormat;
  dryRun: boolean;
  /** What the document contains. */
  inDocument: FactCounts & { glossaryTerms: number; organisations: number };
  /** What this import records (on a dry run: would record). Zero everywhere when the ledger already holds it all. */
  recorded: FactCounts;
  events: number;
  warnings: ImportWarning[];
  /** Global position of the last event written, for read-your-writes. */
  position?: string | undefined;
}

export const parseDocument = (
  request: ImportRequest,
  deps: Pick<ImportDeps, 'directory' | 'clock' | 'maxBytes'>,
): ParsedDocument & { format: DocumentFormat; sha256: string } => {
  if (request.planId !== undefined && !DocumentPlan.shape.planId.safeParse(request.planId).success)
    throw new ImportError(
      'invalid-plan-id',
      `"${request.planId}" is not a plan id: use lowercase letters, digits and hyphens, up to 100 characters`,
      undefined,
      400,
    );
  const bytes = typeof request.content === 'string' ? Buffer.from(request.content, 'utf8') : request.content;
  const text = decodeDocument(bytes, deps.maxBytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const format = request.format ?? detectFormat(request.fileName, text);
  const today = londonDay((deps.clock ?? (() => new Date()))());
  const parsed =
    format === 'csv'
      ? parseCsvPlan(text)
      : format === 'json'
        ? parseJsonPlan(text)
        : parseTextPlan(text, {
            fileName: request.fileName,
            directory: deps.directory,
            today,
            planId: request.planId,
            owner: request.owner,
            title: request.title,
            kind: request.kind,
          });
  if (request.planId) parsed.document.plan.planId = request.planId;
  if (format !== 'text' && request.owner) parsed.document.plan.owner = request.owner;
  return { ...parsed, format, sha256 };
};

/**
 * Imports one document into the ledger through the front door: parse, compare with
 * what the ledger already holds for the plan, and run the missing facts as ordinary
 * commands through the decider, in one atomic batch. A dry run stops before writing.
 * A refused command (a date in the future, a completion before the action existed)
 * fails the whole import with the document line it came from; nothing is written.
 */
export const importPlan = async (deps: ImportDeps, request: ImportRequest): Promise<ImportSummary> => {
  const started = Date.now();
  const parsed = parseDocument(request, deps);
  if (deps.refuseNewAliases) refuseAliasChanges(deps.directory, parsed.document.organisations);
  deps.onStage?.(
    `read ${parsed.document.actions.length} actions, ${parsed.document.recommendations.length} recommendations and ` +
      `${parsed.document.updates.length} updates (${parsed.format}) in ${Date.now() - started} ms`,
  );
  // Planned against the plan as it is; if someone else writes to it meanwhile, plan again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await planAndRecord(deps, request, parsed, started);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision) || attempt >= 3) throw error;
    }
  }
};

/** Before anything is decided or written, so a refused document writes no event and teaches no name. */
const refuseAliasChanges = (directory: OrganisationDirectory, organisations: PlanDocument['organisations']) => {
  const changes = aliasChanges(directory, organisations);
  if (changes.length === 0) return;
  const named = changes
    .slice(0, 5)
    .map(
      (c) =>
        `"${c.name}" a name of "${c.wouldBe}" (today ` +
        `${c.now === c.name ? 'it names an organisation of its own' : `it is a name of "${c.now}"`})`,
    );
  throw new ImportError(
    'organisation-alias-not-permitted',
    `the document would make ${named.join(', ')}${changes.length > 5 ? ` and ${changes.length - 5} more` : ''}; only ` +
      `an operator may add aliases (ledger import, or the data directory's organisation-aliases.json). Nothing was imported`,
    undefined,
    403,
  );
};

const planAndRecord = async (
  deps: ImportDeps,
  request: ImportRequest,
  { document, warnings: parseWarnings, format, sha256 }: ReturnType<typeof parseDocument>,
  started: number,
): Promise<ImportSummary> => {
  const warnings = [...parseWarnings];
  const planId = document.plan.planId;
  const ledger = await readLedgerPlan(deps.store, planId);
  const { items, counts } = planCommands(document, ledger, { file: request.fileName, sha256 }, warnings);
  warnings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  deps.onStage?.(`compared with the ledger: ${items.length} new facts to record`);
  const summary: ImportSummary = {
    planId,
    title: document.plan.title,
    file: request.fileName,
    sha256,
    format,
    dryRun: request.dryRun === true,
    inDocument: { ...countDocument(document), glossaryTerms: document.glossary.length, organisations: document.organisations.length },
    recorded: counts,
    events: items.length,
    warnings,
  };
  if (items.length === 0) return summary;
  const revision = ledger.facts.length === 0 ? undefined : BigInt(ledger.facts.length - 1);
  try {
    // The batch's id names the file and the plan revision it was planned against, so a retried
    // request (same file, same starting point) is answered once.
    const result = await deps.batch(planId, items, {
      actor: deps.actor,
      commandId: `import-${sha256.slice(0, 32)}-${planId}-${revision ?? 'new'}`,
      correlationId: uuidv7(),
      plannedAgainst: { revision },
      authorise: deps.authorise,
      // A dry run decides and authorises every command as the real import would, and writes nothing.
      dryRun: request.dryRun === true,
    });
    if (request.dryRun) return summary;
    deps.onStage?.(`recorded ${result?.eventIds.length ?? 0} events in ${Date.now() - started} ms`);
    summary.position = result?.lastPosition.toString();
    summary.events = result?.eventIds.length ?? 0;
  } catch (error) {
    if (error instanceof BatchCommandRefused) {
      const location = error.item.provenance.source === 'import' ? error.item.provenance.location : undefined;
      const line = location && /^line \d+$/.test(location) ? Number(location.slice(5)) : undefined;
      const cause =
        error.cause instanceof DomainError
          ? `${error.cause.message} (${error.cause.code})`
          : String((error.cause as Error)?.message ?? error.cause);
      throw new ImportError('import-refused', `the ledger refused ${error.item.command.type}: ${cause}; nothing was imported`, line, 422);
    }
    throw error;
  }
  await deps.learnOrganisations?.(document.organisations);
  return summary;
};
