import { z } from 'zod';
import { EffectiveOn } from './business-date.ts';

/** Who recorded a change. Always taken from the authenticated principal or the configured operator, never the request body. */
export const Actor = z
  .object({
    id: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    organisation: z.string().min(1).max(300),
    role: z.string().min(1).max(100),
    keyId: z.string().max(200).optional(),
  })
  .strict();
export type Actor = z.infer<typeof Actor>;

/** Where a fact came from: typed in through the API or CLI, or imported from a named document. */
export const Provenance = z.discriminatedUnion('source', [
  z.object({ source: z.literal('api') }).strict(),
  z.object({ source: z.literal('cli') }).strict(),
  z
    .object({
      source: z.literal('import'),
      file: z.string().min(1).max(500),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      location: z.string().max(200).optional(),
    })
    .strict(),
]);
export type Provenance = z.infer<typeof Provenance>;

/**
 * Everything about an event except its place in the store. The store adds stream,
 * revision and position when it appends; recordedAt comes from the server clock.
 */
export const EventMetadata = z
  .object({
    eventId: z.uuid(),
    type: z.string().min(1),
    schemaVersion: z.number().int().positive(),
    recordedAt: z.iso.datetime({ offset: false }),
    effectiveOn: EffectiveOn,
    actor: Actor,
    reason: z.string().max(4000).optional(),
    commandId: z.string().min(1).max(200),
    correlationId: z.string().min(1).max(200),
    causationId: z.string().min(1).max(200).optional(),
    provenance: Provenance,
  })
  .strict();
export type EventMetadata = z.infer<typeof EventMetadata>;

/** An event ready to append: metadata plus its type-specific data. */
export type NewEvent = EventMetadata & { data: Record<string, unknown> };

/**
 * An event as stored. Revisions count from 0 within a stream on every backend;
 * positions are the dense global order (0..n-1, no gaps) on every backend.
 * Both are bigint so a backend's 64-bit numbers are never rounded.
 */
export type StoredEvent = NewEvent & {
  stream: string;
  revision: bigint;
  position: bigint;
  /**
   * SHA-256 chain hash (hex) over the canonical event and the previous hash in its stream,
   * set by the store on append. Only a damaged store (a hash removed by hand) yields an event
   * without one; `ledger verify` names it.
   */
  hash: string;
};

/**
 * The event exactly as it was appended: a stored event without what the store added. Its
 * chain hash covers this; a copy to another ledger appends this.
 */
export const asAppended = (stored: StoredEvent): NewEvent => {
  const { stream: _stream, revision: _revision, position: _position, hash: _hash, ...event } = stored;
  return event;
};

/** JSON shape of a stored event: bigints become a number (revision) and a decimal string (position). */
export const toJsonEvent = (event: StoredEvent) => ({
  ...event,
  revision: Number(event.revision),
  position: event.position.toString(),
});
export type JsonEvent = ReturnType<typeof toJsonEvent>;
