import { z } from 'zod';

/** The problem+json shape, documented once for every route's 4xx answers. */
export const ProblemDetails = z
  .object({
    type: z.string(),
    status: z.number(),
    code: z.string().describe('Stable machine-readable problem code'),
    title: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ location: z.string(), message: z.string() })).optional(),
  })
  .loose();

export const problemResponses = {
  400: ProblemDetails,
  404: ProblemDetails,
  409: ProblemDetails,
  412: ProblemDetails,
  413: ProblemDetails,
  422: ProblemDetails,
};

/** A stored event as JSON: revision is a number, position a decimal string (backends may use 64-bit positions). */
export const EventJson = z
  .object({
    eventId: z.string(),
    type: z.string(),
    schemaVersion: z.number(),
    stream: z.string(),
    revision: z.number(),
    position: z.string(),
    recordedAt: z.string(),
    effectiveOn: z.object({ date: z.string(), precision: z.enum(['day', 'month']) }),
    actor: z.object({ id: z.string(), name: z.string(), organisation: z.string(), role: z.string() }).loose(),
    commandId: z.string(),
    correlationId: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .loose();
