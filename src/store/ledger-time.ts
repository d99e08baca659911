/**
 * Ledger time: the latest `recordedAt` so far in ledger order, what an `asOf` instant is compared
 * with, so that it always cuts the ledger in one place. An append whose clock reads earlier than
 * the ledger's last event (the clock stepped back, or another process on the same ledger stamped
 * its event a moment later but committed first) is reported. On SQLite it is recorded at the
 * ledger's time instead, so there `recordedAt` itself never decreases; KurrentDB keeps the stamp
 * as given (its hash covers it) and its position index keeps the ledger time beside it.
 */
export interface ClockBehind {
  /** What this process's clock said when the command ran. */
  clock: string;
  /** The ledger's time then: the recordedAt the event was given on SQLite; on KurrentDB, what an `asOf` reads it at. */
  ledgerTime: string;
  behindMs: number;
  /** Set where the store keeps the event's own stamp (KurrentDB: its hash covers it) and only reads it at the ledger's time. */
  stampKept?: true;
}

/** The later of the clock's reading and the ledger's time (ISO instants in one format compare as text). */
export const ledgerTimeFor = (clock: string, ledgerTime: string | undefined): string =>
  ledgerTime !== undefined && clock < ledgerTime ? ledgerTime : clock;

export const clockBehind = (clock: string, ledgerTime: string, stampKept = false): ClockBehind => ({
  clock,
  ledgerTime,
  behindMs: Date.parse(ledgerTime) - Date.parse(clock),
  ...(stampKept && { stampKept: true as const }),
});

const duration = (ms: number) => {
  const total = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
};

export interface ClockWatchOptions {
  /** Where the warning goes (the server's logger, or stderr for the CLI). */
  warn: (message: string, details: ClockBehind & { eventsSinceLastWarning: number }) => void;
  /**
   * Smaller gaps are ordinary: two processes sharing a ledger stamp their events
   * milliseconds apart and may commit in the other order (default 1000 ms).
   */
  thresholdMs?: number;
  /** At most one warning this often while the clock stays behind (default one a minute). */
  everyMs?: number;
  now?: () => number;
}

/** Turns the store's reports into one loud line when the clock has really stepped back, not one per event. */
export const createClockWatch = ({ warn, thresholdMs = 1000, everyMs = 60_000, now = Date.now }: ClockWatchOptions) => {
  let lastWarned = -Infinity;
  let since = 0;
  return (report: ClockBehind) => {
    if (report.behindMs < thresholdMs) return;
    since++;
    if (now() - lastWarned < everyMs) return;
    lastWarned = now();
    const recorded = report.stampKept
      ? `events keep their own recordedAt, and an asOf reads them at the ledger's time (${report.ledgerTime}) ` +
        'so that ledger time never goes backwards'
      : `events are recorded at the ledger's time (${report.ledgerTime}) so that recordedAt never goes backwards`;
    warn(`the system clock is ${duration(report.behindMs)} behind the ledger's last recordedAt: ${recorded}; correct the clock`, {
      ...report,
      eventsSinceLastWarning: since,
    });
    since = 0;
  };
};
