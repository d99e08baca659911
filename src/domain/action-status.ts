/**
 * Where an action stands, in the words both the decider and the views use. Completed,
 * subsumed and withdrawn actions are closed: nothing but evidence is recorded on them
 * until they are reopened.
 */
export type ActionStatus = 'open' | 'inProgress' | 'completed' | 'subsumed' | 'withdrawn';

export const closedStatuses: ReadonlySet<ActionStatus> = new Set(['completed', 'subsumed', 'withdrawn']);
