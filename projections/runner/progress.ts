/** How far a catch-up or rebuild has got, as the runner reports it. */
export interface Progress {
  done: number;
  total: number;
  /** Set once the events are folded while plans' business lines are worked out again (a rebuild's last phase). */
  settling?: { plans: number; of: number };
  /**
   * The last position read; while worker threads fold a rebuild stream by stream (not in
   * position order), the position as many events into the backlog as are folded.
   */
  position: bigint;
  /** The last position committed with its documents (what a restart would resume from). */
  checkpoint: bigint;
}
