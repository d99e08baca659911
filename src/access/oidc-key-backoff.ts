import { errors, type JWSHeaderParameters, type FlattenedJWSInput, type RemoteJWKSet } from 'jose';

/**
 * Our failure to get the keys (network, timeout, a broken key set, an answer other than 200: jose's plain JOSEError,
 * which it throws only for the key set's fetch), as opposed to a bad token.
 */
export const providerUnavailable = (error: unknown) =>
  error instanceof errors.JWKSTimeout ||
  error instanceof errors.JWKSInvalid ||
  !(error instanceof errors.JOSEError) ||
  error.code === errors.JOSEError.code;

/** The key type an algorithm is used with (RFC 7518), where a key set's key says no algorithm of its own. */
const keyTypeOf = (alg: string | undefined): string | undefined =>
  alg === undefined
    ? undefined
    : /^(RS|PS)/.test(alg)
      ? 'RSA'
      : alg.startsWith('ES')
        ? 'EC'
        : alg === 'EdDSA' || alg === 'Ed25519'
          ? 'OKP'
          : undefined;

/** How long after a failed fetch of the identity provider's keys no token sends for them again. */
export const KEY_FETCH_BACKOFF_MS = 5_000;

/**
 * The identity provider's key set, asked for again no sooner than KEY_FETCH_BACKOFF_MS after a fetch failed. While the
 * provider is down, every token whose key is not cached would otherwise make the service fetch the set (and wait for its
 * timeout) again: a caller sending forged tokens could have it do so without end, as the rate limit counts a request only
 * once it is authenticated or refused. A token whose key is cached is verified as ever.
 */
export const backingOffAfterFailure = (keys: RemoteJWKSet, now: () => number = Date.now) => {
  let failedAt = Number.NEGATIVE_INFINITY;
  // A key jose would pick without a fetch: its id, its algorithm or at least its type the token's. One naming a cached
  // key's id with another algorithm finds none, and would send jose for the set again.
  const cachedKeyFor = (header: JWSHeaderParameters | undefined) =>
    keys.fresh &&
    (keys.jwks()?.keys ?? []).some(
      (key) =>
        (header?.kid === undefined || key.kid === header.kid) &&
        (key.alg === undefined ? key.kty === keyTypeOf(header?.alg) : key.alg === header?.alg),
    );
  return async (header?: JWSHeaderParameters, token?: FlattenedJWSInput) => {
    if (now() - failedAt < KEY_FETCH_BACKOFF_MS && !cachedKeyFor(header))
      // As jose says a fetch that timed out: the provider did not answer (oidc.ts maps it to 503).
      throw new errors.JWKSTimeout('the identity provider did not answer a moment ago: its keys are not asked for again yet');
    try {
      return await keys(header, token);
    } catch (error) {
      if (providerUnavailable(error)) failedAt = now();
      throw error;
    }
  };
};
