/**
 * The decider pattern: three plain values and no I/O. `decide` answers a command with the
 * events it causes, or throws a DomainError; `evolve` folds one recorded event into the
 * state; `initialState` is where every fold starts. The command handler around it reads
 * the stream, folds, decides and appends with the revision it read.
 *
 * Events are the catalogue's discriminated union (`PlanEvent`), so a decided event whose
 * data does not match its type's schema is a compile error, not a run-time surprise.
 */

/** A decided event: what happened and the business date it happened on (YYYY-MM or YYYY-MM-DD). */
export type Decided<Event> = Event & { effectiveOn: string };

/** An event as the fold sees it once recorded: it also has the id that corrections name it by. */
export type Recorded<Event> = Event & { eventId: string; effectiveOn: string };

export interface Decider<Command, Event, State> {
  initialState: () => State;
  decide: (command: Command, state: State) => Decided<Event>[];
  evolve: (state: State, event: Recorded<Event>) => State;
}
