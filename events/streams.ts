/**
 * The streams events are written to. One stream per plan: the plan, its sections,
 * recommendations and actions share one revision, the plan's ETag.
 */
export const planStream = (planId: string): string => `plan-${planId}`;

/** The plan a stream belongs to, or undefined for a stream that is not a plan's. */
export const planIdOfStream = (stream: string): string | undefined =>
  stream.startsWith('plan-') ? stream.slice('plan-'.length) : undefined;
