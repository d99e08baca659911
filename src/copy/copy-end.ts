import type { IntegrityStore } from '../integrity/port.ts';
import type { EventStore } from '../store/port.ts';

/** One end of a copy: a ledger's two ports, from any backend. */
export interface CopyEnd {
  events: EventStore;
  integrity: IntegrityStore;
}

/** The phases of a copy, in order, as its progress names them. */
export type CopyPhase = 'checking the target' | 'verifying the source' | 'copying' | 'verifying the target' | 'comparing';

export type CopyProgressListener = (progress: { phase: CopyPhase; done: number; total: number }) => void;
