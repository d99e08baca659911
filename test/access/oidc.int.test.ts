import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { useSecuredLedger } from '../support/access.ts';
import { AUDIENCE, claimFor, ISSUER, startOidcProvider, type OidcProvider } from '../support/oidc-provider.ts';

const open = useSecuredLedger();
let provider: OidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider();
});
afterAll(() => provider.close());

const codeOf = async (ledger: Awaited<ReturnType<typeof open>>, token: string) => {
  const res = await ledger.call(token, { method: 'GET', url: '/ledger/events' });
  return [res.statusCode, res.json().code ?? 'ok'];
};

describe('OpenID Connect tokens', () => {
  it('maps the role claim through the configured table and the organisation through the alias directory', async () => {
    const ledger = await open({ oidc: provider.settings });
    expect(await codeOf(ledger, await provider.tokens.valid(claimFor.auditor, 'dorset ccg'))).toEqual([200, 'ok']);
    // The ledger's own role names are not accepted when a mapping is configured: only the mapped values are.
    expect(await codeOf(ledger, await provider.tokens.valid('auditor'))).toEqual([403, 'token-grants-no-role']);
  });

  it('refuses a token whose claims give two roles, or no organisation', async () => {
    const ledger = await open({ oidc: provider.settings });
    const two = await provider.tokens.valid(claimFor.auditor, 'Dorset CCG', { roles: [claimFor.auditor, claimFor.admin] });
    expect(await codeOf(ledger, two)).toEqual([403, 'token-grants-no-role']);
    const noOrg = await provider.tokens.valid(claimFor.auditor, 'Dorset CCG', { organisation: undefined });
    expect(await codeOf(ledger, noOrg)).toEqual([403, 'token-names-no-organisation']);
  });

  it('refuses a token whose organisation claim holds a control character, naming it, rather than match it to an organisation', async () => {
    const ledger = await open({ oidc: provider.settings });
    const hidden = await provider.tokens.valid(claimFor.auditor, 'Dorset CCG\u0001');
    const res = await ledger.call(hidden, { method: 'GET', url: '/ledger/events' });
    expect([res.statusCode, res.json().code]).toEqual([403, 'token-names-no-organisation']);
    expect(res.json().detail).toBe("the token's organisation claim holds U+0001, so it names no organisation");
  });

  it('refuses a token whose organisation claim holds DEL or a C1 control, which the directory would read as a space, naming another organisation', async () => {
    const ledger = await open({ oidc: provider.settings });
    for (const claim of ['Dorset CCG\u0085', 'Dorset\u0085CCG', '\u009bDorset CCG', 'Dorset CCG\u007f']) {
      const token = await provider.tokens.valid(claimFor['plan-manager'], claim);
      const before = await ledger.store.count();
      const res = await ledger.call(token, {
        method: 'POST',
        url: '/plans',
        payload: { planId: 'dorset-2', title: 'Dorset plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' },
      });
      expect([res.statusCode, res.json().code], JSON.stringify(claim)).toEqual([403, 'token-names-no-organisation']);
      expect(await ledger.store.count()).toBe(before);
    }
  });

  it('refuses expired, early, misdirected, unsigned and algorithm-confused tokens with 401 and the reason', async () => {
    const ledger = await open({ oidc: provider.settings });
    for (const make of ['expired', 'notYetValid', 'wrongAudience', 'wrongIssuer', 'unsigned', 'hmacWithPublicKey', 'foreignKey'] as const) {
      const res = await ledger.call(await provider.tokens[make](), { method: 'GET', url: '/ledger/events' });
      expect(res.statusCode, make).toBe(401);
      expect(res.json().code).toBe('invalid-token');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="assurance-ledger", error="invalid_token"/);
    }
  });

  it('allows clock skew within the tolerance only', async () => {
    const ledger = await open({ oidc: provider.settings });
    const now = Math.floor(Date.now() / 1000);
    const justExpired = await provider.tokens.valid(claimFor.auditor, 'Dorset CCG', { exp: now - 10 });
    expect(await codeOf(ledger, justExpired)).toEqual([200, 'ok']);
    const longExpired = await provider.tokens.valid(claimFor.auditor, 'Dorset CCG', { exp: now - 40 });
    expect(await codeOf(ledger, longExpired)).toEqual([401, 'invalid-token']);
  });

  it('answers 503, not 401, when the identity provider’s keys cannot be fetched', async () => {
    const ledger = await open({ oidc: { ...provider.settings, jwksUrl: 'http://127.0.0.1:9/jwks' } });
    expect(await codeOf(ledger, await provider.tokens.valid(claimFor.auditor))).toEqual([503, 'identity-provider-unavailable']);
  });

  it('shows admins the effective configuration, including the role map', async () => {
    const ledger = await open({ oidc: provider.settings });
    const res = await ledger.call(await ledger.keyFor('admin'), { method: 'GET', url: '/admin/configuration' });
    expect(res.json()).toMatchObject({
      oidc: { issuer: ISSUER, audience: AUDIENCE, roleMap: { 'Ledger.Admin': 'admin' } },
      corsOrigins: [],
    });
    expect(res.json().organisations).toContainEqual(expect.objectContaining({ name: 'Dorset Police' }));
  });

  it('accepts only API keys when no identity provider is configured', async () => {
    const ledger = await open();
    expect(await codeOf(ledger, await provider.tokens.valid(claimFor.auditor))).toEqual([401, 'invalid-token']);
  });
});

describe('OpenID Connect configuration', () => {
  const env = { LEDGER_OIDC_ISSUER: ISSUER, LEDGER_OIDC_AUDIENCE: AUDIENCE, LEDGER_OIDC_JWKS_URL: 'https://login.example/jwks' };
  it('parses a full configuration, with a role map', () => {
    const config = loadConfig({
      ...env,
      LEDGER_OIDC_ROLE_MAP: '{"Ledger.Viewer":"viewer"}',
      LEDGER_CORS_ORIGINS: 'https://dashboard.example',
    });
    expect(config.access.oidc).toMatchObject({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      roleMap: { 'Ledger.Viewer': 'viewer' },
    });
    expect(config.access.corsOrigins).toEqual(['https://dashboard.example']);
  });
  it.each([
    [{ LEDGER_OIDC_ALGORITHMS: 'RS256,HS256' }, /LEDGER_OIDC_ALGORITHMS/],
    [{ LEDGER_OIDC_ALGORITHMS: 'none' }, /LEDGER_OIDC_ALGORITHMS/],
    [{ LEDGER_OIDC_JWKS_URL: 'http://login.example/jwks' }, /https/],
    [{ LEDGER_OIDC_ISSUER: undefined }, /must be set together/],
    [{ LEDGER_OIDC_ROLE_MAP: '{"x":"superuser"}' }, /LEDGER_OIDC_ROLE_MAP/],
    [{ LEDGER_OIDC_ROLE_MAP: 'not json' }, /JSON object/],
  ])('refuses %o', (override, message) => {
    expect(() => loadConfig({ ...env, ...override })).toThrow(message);
  });
});
