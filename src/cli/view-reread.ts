import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { openReadModels } from '../../projections/read-models.ts';
import { DomainError } from '../domain/errors.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { referenceCanonicalJson } from '../integrity/canonical-json.ts';
import { checkpointInLedger } from '../integrity/checkpoint-in-ledger.ts';
import { verificationKeyFromPem } from '../integrity/signing-key.ts';
import type { IntegrityFailure } from '../integrity/verify-report.ts';
import { createOrganisationAliases } from '../organisations/organisation-aliases.ts';
import { isRecordedChanges } from '../views/named-view.ts';
import { viewsRelease } from '../views/views-release.ts';
import { ReadNotRecorded } from './command-line-read-audit.ts';
import { firstDifference } from './first-difference.ts';
import { plainForTerminal, quotedForTerminal } from './terminal-text.ts';
import { ViewOptionError } from './view-options.ts';
import type { SignedViewFile } from './view-query.ts';
import { readView, type ViewRead } from './view-read.ts';
import { configFor, integrityOf, withBackend } from './with-backend.ts';

/** What `ledger verify-view -d` found: each check that failed, and why the ledger may now answer otherwise. */
export interface Reread {
  failures: IntegrityFailure[];
  /** Said when the answer or its position differs: what may explain it besides an edited file. */
  reasons: string[];
}

/** A value as JSON on one line, cut short: enough to see what differs. */
const shown = (value: unknown): string => {
  if (value === undefined) return '(nothing)';
  const text = quotedForTerminal(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

/** Where a view's position is read (view-read.ts): at its asOf, or for changes on the ledger clock at its `to`. */
const positionRead = (file: SignedViewFile): string =>
  isRecordedChanges(file.view, file.query) ? `to (${file.query.to})` : `asOf (${file.query.asOf})`;

/** How the position the ledger stands at, at the file's clocks, compares with the file's: each explains a difference otherwise. */
type PositionNow = 'same' | 'later' | 'earlier' | 'not read';

/** The answer read again against the file's: the same canonical JSON and the same position, or where they part. */
const compared = (file: SignedViewFile, again: ViewRead): { failures: IntegrityFailure[]; position: PositionNow } => {
  const failures: IntegrityFailure[] = [];
  const position = again.position === BigInt(file.position) ? 'same' : again.position > BigInt(file.position) ? 'later' : 'earlier';
  if (position !== 'same')
    failures.push({
      kind: 'view-differs',
      message: `at the file's ${positionRead(file)} the ledger now stands at position ${again.position}, not ${file.position}`,
      expected: file.position,
      found: String(again.position),
    });
  // Through JSON, as the file holds it: a member whose value is undefined is in neither.
  const answer: unknown = JSON.parse(JSON.stringify(again.answer));
  if (referenceCanonicalJson(file.answer) !== referenceCanonicalJson(answer)) {
    const at = firstDifference(file.answer, answer);
    failures.push({
      kind: 'view-differs',
      message: `the ledger, read again at the file's clocks and options, answers otherwise, first at ${at?.path ?? '$'}`,
      expected: shown(at?.left),
      found: shown(at?.right),
    });
  }
  return { failures, position };
};

/** How the file's offline checks stood: all held against the key the reader pinned, one failed, or all held against its own key only. */
export type OfflineChecks = 'verified' | 'failed' | 'unpinned';

/**
 * What may make a ledger answer a view otherwise than it did. The ledger changed under its hashes is one: the tree
 * compared holds each event's stored hash, not one worked out again from its content, which `ledger verify` does. A file
 * changed and signed again with another key is another, unless the key the reader pinned verified it: then only a
 * holder of that key signed it.
 */
const reasonsFor = (
  file: SignedViewFile,
  { failures, position }: { failures: IntegrityFailure[]; position: PositionNow },
  offline: OfflineChecks,
  recheck: string,
): string[] => {
  if (!failures.some((f) => f.kind === 'view-differs')) return [];
  const release = viewsRelease();
  return [
    ...(release === file.release
      ? []
      : [
          `the file was read by release ${plainForTerminal(file.release)} and this is release ${release}: ` +
            'a later release may answer differently',
        ]),
    ...(position === 'later'
      ? [
          `events were recorded after the file was read with a ledger time at or before its ${positionRead(file)} (recorded ` +
            'late: an instance whose clock was behind, or a command that waited), so the ledger read there now includes them',
        ]
      : []),
    // A ledger never loses events (it is append-only): fewer at the same clocks is another ledger, or a copy of this one
    // from before the file was read.
    ...(position === 'earlier'
      ? [
          `the ledger holds fewer events at the file's ${positionRead(file)} than the file was read at: this data dir holds ` +
            'another ledger, or a copy of it from before the file was read (a backup restored), or events were deleted',
        ]
      : []),
    'organisation names are read through the aliases this data dir has learnt: one learnt since joins names the file kept apart',
    `the ledger's events were changed after the file was read, their stored hashes left as they were: \`${recheck}\` ` +
      "works out every event's hash again from its content and names the first that no longer matches",
    offline === 'verified'
      ? 'the file was signed, by someone holding the key you pinned, over an answer this ledger did not give at these clocks'
      : offline === 'failed'
        ? 'the file was changed after it was signed: its own checks failed (above)'
        : "the file's answer was changed and the file signed again with another key: pin the ledger's key (--public-key) to tell",
  ];
};

/** Why the ledger would not read the view again, as one failure, or the error when it is not a refusal. */
const refusal = (error: unknown): IntegrityFailure => {
  if (error instanceof DomainError)
    return { kind: 'view-differs', message: `the ledger no longer answers this view: ${error.message} [${error.code}]` };
  // Not a difference of the ledger's: the read of a plan's detail is refused unless its reader is recorded.
  if (error instanceof ReadNotRecorded) return { kind: 'view-not-read-again', message: `the view was not read again: ${error.message}` };
  if (error instanceof ReadRequestError || error instanceof ViewOptionError)
    return { kind: 'view-differs', message: `the view could not be read again: ${error.message}` };
  throw error;
};

/**
 * `ledger verify-view -d`: the ledger in `dataDir` must still hold exactly the tree of the view's
 * checkpoint (checkpoint-in-ledger.ts), and the view read again through readView, at the file's
 * clocks and options, must give the same answer at the same position. A read of one plan's detail
 * is recorded in the access log, as `ledger view`'s is.
 */
export const rereadView = async (
  file: SignedViewFile,
  dataDir: string,
  /** How the offline checks stood: all held against a key the reader pinned (then no other key signed the file), or not. */
  offline: OfflineChecks,
  /** The file's path, for the command that checks the ledger's events against its checkpoint. */
  filePath: string,
): Promise<Reread> => {
  const config = configFor(dataDir);
  requireExistingDataDir(config, { command: 'verify-view' });
  const found = await withBackend(
    config,
    async (backend) => {
      const ledger = integrityOf(backend, config, verificationKeyFromPem(file.publicKey.pem));
      let tree: IntegrityFailure | undefined;
      try {
        tree = await checkpointInLedger(ledger, file.checkpoint);
      } finally {
        await ledger.close();
      }
      const readModels = openReadModels({
        store: backend.events,
        dataDir: config.dataDir,
        directory: createOrganisationAliases(backend.learnedAliases),
      });
      try {
        const again = await readView({ backend, readModels }, file.view, file.subject ?? undefined, file.query, 'verify-view');
        const { failures, position } = compared(file, again);
        return { failures: [...(tree ? [tree] : []), ...failures], position };
      } catch (error) {
        return { failures: [...(tree ? [tree] : []), refusal(error)], position: 'not read' as const };
      } finally {
        await readModels.close();
      }
    },
    { create: false },
  );
  const recheck = `ledger verify -d ${plainForTerminal(dataDir)} --checkpoint ${plainForTerminal(filePath)}`;
  return { failures: found.failures, reasons: reasonsFor(file, found, offline, recheck) };
};
