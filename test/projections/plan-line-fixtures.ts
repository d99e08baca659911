import type { Due } from '../../events/business-date.ts';
import type { ActionLine, PlanLines, RevisionLine } from '../../projections/plan-status/plan-lines.ts';

/** Plan lines as the cross-plan views read them (plan-lines.ts), for tests of the views' counting. */
export const due = (date: string): Due => ({ kind: 'date', date });

export const action = (ref: string, deadline: string, fields: Partial<ActionLine> = {}): ActionLine => ({
  ref,
  text: `Action ${ref}`,
  status: 'open',
  agreedOn: '2016-01',
  originalDue: due(deadline),
  currentDue: due(deadline),
  deadlines: [due(deadline)],
  completedOn: null,
  closedOn: null,
  leads: ['Dorset Police'],
  partners: [],
  lastUpdatedOn: '2016-04-20',
  reportedRag: null,
  evidence: 0,
  late: { count: 0, maxLagDays: 0 },
  revisedAfterDeadline: 0,
  closureRecordedAfterDeadline: null,
  details: { revisions: [], lateRecords: [] },
  ...fields,
});

export const plan = (planId: string, actions: ActionLine[]): PlanLines => ({
  planId,
  title: `Plan ${planId}`,
  kind: 'other',
  owner: 'Dorset CCG',
  governanceBody: null,
  area: null,
  registeredOn: '2016-01',
  position: 0,
  actions,
  recommendations: [],
});

export const revision = (from: string, to: string): RevisionLine => ({
  from: due(from),
  to: due(to),
  reason: 'Slipped',
  agreedBy: 'Board',
  recordedBy: 'Sam Auditor',
  effectiveOn: '2016-02',
  recordedAt: '2026-01-05T09:00:00.000Z',
  recordedAfterDeadline: false,
  deadlineShown: null,
});
