import type { LedgerFact } from '../../ledger-fact.ts';
import type { HistoryReads, HistoryWrite } from './history-store.ts';
import type { Interner } from './interner.ts';

/**
 * What the projection runner (and a rebuild's worker threads) ask of the history of a
 * projection's lines, without knowing what the lines are: record each event with the
 * document the projection's evolve made of it, work marked documents out again from their
 * facts, and hand over what to write with the documents and the checkpoint.
 */
export interface LineHistoryWriter {
  record(key: string, fact: LedgerFact, doc: unknown): void;
  /** Keys whose history waits to be worked out again from their facts. */
  dirty(): string[];
  settle(key: string, facts: readonly LedgerFact[]): void;
  drain(): HistoryWrite;
}

/** How a projection that keeps a history makes its writer: reading what is stored, giving values ids through the interner. */
export type LineHistoryFactory = (reads: HistoryReads, interner: Interner) => LineHistoryWriter;
