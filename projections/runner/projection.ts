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
}

// any: the runner holds projections of different document types side by side and only moves their documents around.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reason is the line above
export type AnyProjection = DocumentProjection<any>;
