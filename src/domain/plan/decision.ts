import type { EventType, PlanEvent } from '../../../events/catalogue.ts';
import type { Decided } from '../decider.ts';

/** What every plan command's decision is given besides the command and the plan. */
export interface DecisionContext {
  /** The London calendar day of the server's clock when the command arrived. */
  today: string;
  /** The command's business date: as the caller gave it, or today; never after today. */
  effectiveOn: string;
}

/** A decided event of one type: its data must match that type's current schema, checked by the compiler. */
export type Decision<K extends EventType> = Decided<Extract<PlanEvent, { type: K }>>;
