import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../events/envelope.ts';
import { planStream } from '../../events/streams.ts';
import { PreconditionFailed } from '../commands/command-requests.ts';
import { DomainError } from '../domain/errors.ts';
import { aliasChanges } from '../organisations/alias-changes.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { IdempotencyKeyReused, WrongExpectedRevision, type EventStore } from '../store/port.ts';
import { findClaim, reimportId, type Claim } from './document-claims.ts';
import { ImportError } from './import-error.ts';
import { blockedImport, isBlocking, judge, type GateVerdict } from './import-gate.ts';
import { readLedgerPlan } from './ledger-plan.ts';
import { parseDocument, type Parsed, type ParseRequest } from './parse-document.ts';
import { planCommands } from './plan-commands.ts';
import { countDocument, noFacts, type FactCounts } from './fact-counts.ts';
import type { ImportWarning, PlanDocument } from './plan-document.ts';
import { buildPreview, type PreviewRow } from './preview.ts';
import type { DocumentFormat } from './read-document.ts';
import { BatchCommandRefused, type BatchContext } from '../commands/command-requests.ts';
import { commandWords } from './command-words.ts';
import type { BatchHandler } from '../commands/command-path.ts';

export interface ImportRequest extends ParseRequest {
  dryRun?: boolean | undefined;
  /** Write even though some warnings mean facts were lost or misplaced (`--accept-warnings`). */
  acceptWarnings?: boolean | undefined;
  /** The plan revision the caller last saw (`If-Match`): the import is refused with 412 unless the plan still stands there. */
  ifMatchRevision?: bigint | undefined;
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
  /** Each with `blocking`: true when it means a fact was lost or misplaced, so the import waits for --accept-warnings. */
  warnings: (ImportWarning & { blocking: boolean })[];
  gate: GateVerdict;
  /** Every fact, row by row, with where it came from. */
  preview: PreviewRow[];
  /** Global position of the last event written, for read-your-writes. */
  position?: string | undefined;
  /**
   * True when another import of the same file, planned against the same plan revision, recorded
   * these facts first (another instance, at the same moment): its batch had this one's command id,
   * so this one's append replayed that result and wrote nothing. `recorded` and `events` are then
   * zero, every fact of the preview is held, and `position` is that earlier write's.
   */
  replayed: boolean;
}

/**
 * Imports one document into the ledger through the front door: parse, compare with
 * what the ledger already holds for the plan, and run the missing facts as ordinary
 * commands through the decider, in one atomic batch. A dry run stops before writing.
 * A refused command (a date in the future, a completion before the action existed)
 * fails the whole import with the document line it came from; nothing is written.
 */
export const importPlan = async (deps: ImportDeps, request: ImportRequest): Promise<ImportSummary> => {
  const started = Date.now();
  const parsed = await parseDocument(request, deps);
  if (deps.refuseNewAliases) refuseAliasChanges(deps.directory, parsed.document.organisations);
  deps.onStage?.(
    `read ${parsed.document.actions.length} actions, ${parsed.document.recommendations.length} recommendations ` +
      `and ${parsed.document.updates.length} updates (${parsed.format}) in ${Date.now() - started} ms`,
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
    `the document would make ${named.join(', ')}${changes.length > 5 ? ` and ${changes.length - 5} more` : ''}; ` +
      `only an operator may add aliases (ledger import, or the data directory's organisation-aliases.json). ` +
      `Nothing was imported`,
    undefined,
    403,
  );
};

const planAndRecord = async (
  deps: ImportDeps,
  request: ImportRequest,
  { document, warnings: parseWarnings, format, sha256, sources }: Parsed,
  started: number,
): Promise<ImportSummary> => {
  const warnings = [...parseWarnings];
  const planId = document.plan.planId;
  // A CSV or JSON file is a record, read as it is (one holding a refused character is refused), so it is compared with
  // the ledger as recorded; a document's texts lose those characters as they are read, and are compared likewise.
  const ledger = await readLedgerPlan(deps.store, planId, { asDocumentsRead: format !== 'csv' && format !== 'json' });
  // The append below expects the revision read here, so a plan that moves after this check is planned again, and checked again.
  const revision = ledger.facts.length === 0 ? undefined : BigInt(ledger.facts.length - 1);
  if (request.ifMatchRevision !== undefined && request.ifMatchRevision !== revision)
    throw new PreconditionFailed(request.ifMatchRevision, revision);
  const { items, counts } = planCommands(document, ledger, { file: request.fileName, sha256 }, warnings);
  warnings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  deps.onStage?.(`compared with the ledger: ${items.length} new facts to record`);
  const gate = judge(warnings, request.acceptWarnings === true);
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
    warnings: warnings.map((w) => ({ ...w, blocking: isBlocking(w.code) })),
    gate,
    preview: buildPreview(document, sources, items),
    replayed: false,
  };
  if (items.length === 0) return summary;
  const claim = await claimFor(deps.store, sha256, planId);
  if (!request.dryRun && !gate.passes) throw blockedImport(warnings);
  try {
    // The first import of a file into a plan claims the file (document-claims.ts); later ones are
    // named by the file and the plan revision they were planned against, so a retried request
    // (same file, same starting point) is answered once.
    const result = await deps.batch(planId, items, {
      actor: deps.actor,
      commandId: claim.kind === 'free' ? claim.commandId : reimportId(sha256, planId, revision),
      correlationId: uuidv7(),
      plannedAgainst: { revision },
      authorise: deps.authorise,
      // A dry run decides and authorises every command as the real import would, and writes nothing.
      dryRun: request.dryRun === true,
    });
    if (request.dryRun) return summary;
    summary.position = result?.lastPosition.toString();
    if (result?.replayed) {
      deps.onStage?.(`already imported: another import of this file recorded the same ${result.eventIds.length} events first`);
      summary.replayed = true;
      summary.recorded = noFacts();
      summary.events = 0;
      summary.preview = buildPreview(document, sources, []);
    } else {
      deps.onStage?.(`recorded ${result?.eventIds.length ?? 0} events in ${Date.now() - started} ms`);
      summary.events = result?.eventIds.length ?? 0;
    }
  } catch (error) {
    if (error instanceof IdempotencyKeyReused) {
      // Another instance claimed the file for another plan between our look and our append: refused, naming it.
      await claimFor(deps.store, sha256, planId);
      // Or another import of the file into this plan took the id meanwhile with other commands (the same bytes
      // under another file name, say): not a key this caller reused but a plan that moved, so plan again.
      const stream = planStream(planId);
      throw new WrongExpectedRevision(stream, revision ?? 'noStream', await deps.store.streamRevision(stream));
    }
    if (error instanceof BatchCommandRefused) {
      const location = error.item.provenance.source === 'import' ? error.item.provenance.location : undefined;
      const line = location && /^line \d+$/.test(location) ? Number(location.slice(5)) : undefined;
      const where = location && line === undefined ? ` (${location})` : '';
      const cause =
        error.cause instanceof DomainError
          ? `${error.cause.message} (${error.cause.code})`
          : String((error.cause as Error)?.message ?? error.cause);
      throw new ImportError(
        'import-refused',
        `the ledger refused ${commandWords(error.item.command)}${where}: ${cause}; nothing was imported`,
        line,
        422,
      );
    }
    throw error;
  }
  await deps.learnOrganisations?.(document.organisations);
  return summary;
};

/** The file's claim for this plan; a file another live plan holds is refused, naming that plan. */
const claimFor = async (store: EventStore, sha256: string, planId: string): Promise<Claim> => {
  const claim = await findClaim(store, sha256, planId, async (holder) => (await readLedgerPlan(store, holder)).retracted);
  if (claim.kind === 'taken')
    throw new ImportError(
      'document-already-imported',
      `this file (sha256 ${sha256.slice(0, 12)}…) was already imported as plan "${claim.planId}". Import a ` +
        `later version into that plan (--plan ${claim.planId}), or retract "${claim.planId}" first if that import ` +
        `was a mistake`,
      undefined,
      409,
      { planId: claim.planId },
    );
  return claim;
};
