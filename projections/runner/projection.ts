import type { EventType } from '../../events/catalogue.ts';
import type { LineHistoryFactory } from '../history/storage/history-writer-port.ts';
import type { LedgerFact } from '../ledger-fact.ts';

/**
 * A projection kept as one JSON document per key (for plan-status: per plan). Its
 * evolve is the only code that builds the document, live or as of any instant.
 * Bumping `version` makes the runner rebuild it from position 0 on the next start.
 */
export interface DocumentProjection<Doc> {
  name: string;
  version: number;
  keyOf(fact: LedgerFact): string | undefined;
  evolve(doc: Doc | undefined, fact: LedgerFact): Doc | undefined;
  /**
   * Keep a copy of the document after every this-many events of its stream, with the
   * stream revision and recordedAt it stands at, so an "as of" answer folds only the
   * events after the latest copy recorded by then instead of the whole stream.
   */
  snapshotEvery?: number;
  snapshotPoint?(doc: Doc): { revision: number; recordedAt: string };
  /**
   * Keep a history of the documents' lines beside them (projections/history): the plan-status
   * projection does, as read-models.ts registers it.
   */
  history?: LineHistoryFactory;
  /**
   * Set when `keyOf` keys documents across streams (evidence-files: by the file's hash, which
   * any plan may attach or erase): the event types the projection folds. A parallel rebuild
   * folds each stream's events on one worker, so a document keyed by stream sees its events in
   * order there; one keyed across streams would be folded in parts by several workers, each
   * part overwriting the others. So one worker folds such a projection from every stream, in
   * ledger order, decoding only these types. Unset: every document is keyed by its stream.
   */
  acrossStreams?: { types: readonly EventType[] };
}

// any: the runner holds projections of different document types side by side and only moves their documents around.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reason is the line above
export type AnyProjection = DocumentProjection<any>;
