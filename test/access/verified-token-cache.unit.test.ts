import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/principal.ts';
import { createVerifiedTokenCache } from '../../src/access/verified-token-cache.ts';

const principal: Principal = { via: 'oidc', subject: 's', issuer: 'i', name: 'n', role: 'viewer', organisation: 'o' };

describe('verified token cache', () => {
  it('keeps a token until it expires, and at most a minute', () => {
    let now = 0;
    const cache = createVerifiedTokenCache(10, 60_000, () => now);
    cache.set('short', principal, 5_000);
    cache.set('long', principal, 3_600_000);
    now = 4_999;
    expect(cache.get('short')).toBe(principal);
    now = 5_000;
    expect(cache.get('short')).toBeUndefined();
    now = 59_999;
    expect(cache.get('long')).toBe(principal);
    now = 60_000;
    expect(cache.get('long')).toBeUndefined();
  });
  it('matches only the exact token text and forgets the oldest past its capacity', () => {
    const cache = createVerifiedTokenCache(2, 60_000, () => 0);
    cache.set('a', principal, 1e9);
    cache.set('b', principal, 1e9);
    expect(cache.get('a ')).toBeUndefined();
    cache.set('c', principal, 1e9);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, principal, principal]);
  });
});
