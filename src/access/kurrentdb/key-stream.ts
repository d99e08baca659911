import type { EventData, RecordedEvent } from '@kurrent/kurrentdb-client';
import { z } from 'zod';
import { apiKeyId, apiKeyMatches, generateApiKey, hashApiKey } from '../api-key.ts';
import type { ApiKeyRecord, CreatedApiKey, KeyStore, NewApiKey } from '../port.ts';
import { Role } from '../roles.ts';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';
import { openMetaStream } from '../../store/kurrentdb/meta-stream.ts';

const Issued = z.object({
  type: z.literal('ApiKeyIssued'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** SHA-256 of the whole key, hex: the key itself is never stored. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  role: Role,
  organisation: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
const Revoked = z.object({ type: z.literal('ApiKeyRevoked'), keyId: z.string(), revokedAt: z.string(), revokedBy: z.string() });
const KeyEvent = z.discriminatedUnion('type', [Issued, Revoked]);
type KeyEvent = z.infer<typeof KeyEvent>;

const decode = (record: RecordedEvent): KeyEvent => {
  const parsed = KeyEvent.safeParse({ ...(record.data as object), type: record.type });
  if (!parsed.success) throw new Error(`event ${record.id} in ${record.streamId} is not an API key event`);
  return parsed.data;
};

const toEventData = ({ type, ...data }: KeyEvent): EventData => ({
  id: crypto.randomUUID(),
  contentType: 'application/json',
  type,
  data,
  metadata: undefined,
});

/** Compared against when the key id is unknown, so a miss costs the same as a wrong secret. */
const NO_SUCH_KEY = hashApiKey('al_0000000000000000_no-such-key');

/**
 * API keys in the engine, in `ledger-meta:api-keys`: every instance reads the same issues and
 * revocations. Writes append with the exact revision they were decided on, so "the first key"
 * is made once however many instances start together, and a key is revoked once.
 *
 * A revocation through any instance is refused by every instance on its next request: each
 * verification waits for a read of the stream's tail that started after the request arrived
 * (requests arriving together share one read, see fresh-runs.ts). That costs one small read
 * from the engine's leader per wave of requests, and buys the guarantee the port promises,
 * which a cache invalidated by a subscription could only approach.
 */
export const openKeyStream = ({ client, address, names }: Engine, clock: () => Date = () => new Date()): KeyStore => {
  const stream = openMetaStream({ client, address, stream: names.apiKeys, decode });
  const keys = new Map<string, { record: ApiKeyRecord; hash: Buffer }>();
  let folded = 0;
  const fold = () => {
    const events = stream.items();
    for (; folded < events.length; folded++) {
      const event = events[folded]!;
      if (event.type === 'ApiKeyIssued') {
        const { keyId, hash, name, role, organisation, createdAt, createdBy } = event;
        keys.set(keyId, {
          hash: Buffer.from(hash, 'hex'),
          record: { keyId, name, role, organisation, createdAt, createdBy, revokedAt: null, revokedBy: null },
        });
      } else {
        const entry = keys.get(event.keyId);
        if (entry && entry.record.revokedAt === null)
          entry.record = { ...entry.record, revokedAt: event.revokedAt, revokedBy: event.revokedBy };
      }
    }
    return keys;
  };
  const current = async () => {
    await stream.refresh();
    return fold();
  };
  const issue = (input: NewApiKey) => {
    const { keyId, key, hash } = generateApiKey();
    const record: ApiKeyRecord = { keyId, ...input, createdAt: clock().toISOString(), revokedAt: null, revokedBy: null };
    const event: KeyEvent = {
      type: 'ApiKeyIssued',
      keyId,
      hash: hash.toString('hex'),
      name: input.name,
      role: input.role,
      organisation: input.organisation,
      createdAt: record.createdAt,
      createdBy: input.createdBy,
    };
    return { events: [toEventData(event)], result: { key, record } satisfies CreatedApiKey };
  };

  return {
    create: (input) => stream.update(() => issue(input)),
    createIfNone: (input) =>
      stream.update((events) => (events.some((e) => e.type === 'ApiKeyIssued') ? { events: [], result: undefined } : issue(input))),
    list: async () =>
      [...(await current()).values()]
        .map((e) => e.record)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId)),
    get: async (keyId) => (await current()).get(keyId)?.record,
    revoke: (keyId, revokedBy) =>
      stream.update(() => {
        const entry = fold().get(keyId);
        if (!entry || entry.record.revokedAt !== null) return { events: [], result: false };
        return { events: [toEventData({ type: 'ApiKeyRevoked', keyId, revokedAt: clock().toISOString(), revokedBy })], result: true };
      }),
    countAll: async () => (await current()).size,
    async verify(presented) {
      const keyId = apiKeyId(presented);
      const entry = keyId === undefined ? undefined : (await current()).get(keyId);
      // The hash is compared on every request, found or not, so a miss takes as long as a wrong secret.
      const matches = apiKeyMatches(presented, entry?.hash ?? NO_SUCH_KEY);
      if (!entry || !matches || entry.record.revokedAt !== null) return undefined;
      return entry.record;
    },
  };
};
