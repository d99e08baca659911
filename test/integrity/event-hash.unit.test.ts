import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, referenceCanonicalJson } from '../../src/integrity/canonical-json.ts';
import { GENESIS_HASH, chainPreimage, hashEvent, referenceEventHash } from '../../src/integrity/event-hash.ts';
import { makeEvent } from '../support/events.ts';

describe('canonical JSON on the append path equals the RFC 8785 reference (canonicalize)', () => {
  it('for arbitrary JSON values, including unicode keys, numbers and integer-like keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      }),
      { numRuns: 2000 },
    );
    const tricky = { '10': 1, '2': [1e21, 1e-7, -0, 0.1 + 0.2], é: 'ü\u2028', a: { z: null, '\u20ac': true, '\ud83d\ude00': 'x' } };
    expect(canonicalJson(tricky)).toBe(referenceCanonicalJson(tricky));
  });

  it('refuses what has no canonical form, as the reference does', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: '\ud800' })).toThrow(/surrogate/i);
    // A literal backslash-u text is not a surrogate: same text as the reference.
    expect(canonicalJson({ a: '\\ud800' })).toBe(referenceCanonicalJson({ a: '\\ud800' }));
  });
});

describe('event chain hash', () => {
  const event = makeEvent();
  const link = { stream: 'plan-p1', revision: 0n, previousHash: GENESIS_HASH };

  it('is the JCS of { event, previousHash, revision, stream }, computed the fast way and the reference way alike', () => {
    expect(chainPreimage(canonicalJson(event), link)).toBe(
      referenceCanonicalJson({ event, previousHash: GENESIS_HASH, revision: '0', stream: 'plan-p1' }),
    );
    expect(hashEvent(event, link)).toBe(referenceEventHash(event, link));
    expect(hashEvent(event, link)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order or on any backend position, but on every field, the stream, the revision and the previous hash', () => {
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    const base = hashEvent(event, link);
    expect(hashEvent(reordered, link)).toBe(base);
    expect(hashEvent({ ...event, recordedAt: '2030-01-01T00:00:00.000Z' }, link)).not.toBe(base);
    expect(hashEvent({ ...event, data: { ...event.data, title: 'changed' } }, link)).not.toBe(base);
    expect(hashEvent(event, { ...link, stream: 'plan-p2' })).not.toBe(base);
    expect(hashEvent(event, { ...link, revision: 1n })).not.toBe(base);
    expect(hashEvent(event, { ...link, previousHash: 'f'.repeat(64) })).not.toBe(base);
  });

  it('keeps 64-bit revisions exact (a decimal string, not a double)', () => {
    const big = 2n ** 53n + 1n;
    expect(hashEvent(event, { ...link, revision: big })).not.toBe(hashEvent(event, { ...link, revision: big - 1n }));
  });
});
