/**
 * What the service records about its own operation, shared by every instance on one ledger:
 * which instance took each scheduled run of a task (a lease, so exactly one instance takes
 * each scheduled backup), and the outcome of backups and verifications, so `/metrics` on any
 * instance reports the last backup and the last verify whoever ran them. The embedded
 * implementation keeps it in `<data dir>/operations.db` (src/operations/sqlite/); a
 * distributed backend keeps it beside its ledger (on KurrentDB: a claim is an append to the
 * slot's stream with expected revision "no stream", so the first append wins).
 *
 * None of it is evidence: it is not in the ledger's hash chain and a restore does not bring
 * it back.
 */
export type OperationKind = 'backup' | 'verify';

export interface OperationRun {
  kind: OperationKind;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  /** One line: what was done, or what went wrong. */
  detail: string;
  /** Who ran it: `cli:<user>@<host>`, `schedule:<host>:<pid>`, `http:<principal>`. */
  by: string;
  /** Bytes written (a backup's size); undefined for a verify. */
  bytes?: number | undefined;
  /** Where the result is (a backup's directory). */
  location?: string | undefined;
}

export interface OperationsStore {
  /**
   * Claims one scheduled occurrence of a task (e.g. task "backup", slot "2026-12-01T16:00Z"):
   * true for exactly one caller per task and slot across every instance on the ledger, false
   * for everyone after it. A claim is never released: the slot is that instance's to run.
   */
  claim(task: string, slot: string, holder: string): Promise<boolean>;
  /** Records the outcome of a run; every instance reads it. */
  record(run: OperationRun): Promise<void>;
  /** The latest run of a kind, and the latest successful one (they differ after a failure). */
  latest(kind: OperationKind): Promise<{ last: OperationRun | undefined; lastOk: OperationRun | undefined }>;
  close(): Promise<void>;
}
