import type { AliasFile } from './organisation-directory.ts';

/**
 * The organisations and aliases a ledger has learned (from imports, or an operator's alias
 * file), shared by every service instance on the ledger: an alias added through one instance
 * means the same through every other within about a second. The shipped table
 * (config/organisation-aliases.json) is not here: it comes with the software.
 *
 * The directory reads it on every request (credentials are canonicalised through it), so
 * reading is synchronous: an implementation keeps a local copy current (the embedded one
 * re-reads its file when it changed, checked at most once a second; a remote one may follow
 * a subscription).
 */
export interface LearnedAliasStore {
  /** Where they are kept, for messages: a file path, or a stream on a server. */
  readonly location: string;
  /**
   * What has been learned, as this instance last saw it: the same object until it changes,
   * so a reader can rebuild its table only when it did. A damaged store keeps the last good copy.
   */
  current(): LearnedAliases;
  /** Adds organisations and aliases (never removes or renames); resolves once durable and visible in current(). */
  learn(organisations: AliasFile['organisations']): Promise<void>;
  close(): Promise<void>;
}

export interface LearnedAliases {
  organisations: AliasFile['organisations'];
}
