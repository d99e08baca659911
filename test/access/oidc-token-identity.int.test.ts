import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { claimFor, startOidcProvider, type OidcProvider } from '../support/oidc-provider.ts';

const open = useSecuredLedger();
let provider: OidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider();
});
afterAll(() => provider.close());

const registerPlan = (ledger: SecuredLedger, token: string) =>
  ledger.call(token, {
    method: 'POST',
    url: '/plans',
    payload: { planId: 'dorset-2', title: 'Dorset plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' },
  });

/** A write with this token: its status and code, and whether the ledger holds one more event after it. */
const attempt = async (ledger: SecuredLedger, token: string) => {
  const before = await ledger.store.count();
  const res = await registerPlan(ledger, token);
  return { answer: [res.statusCode, res.json().code], written: (await ledger.store.count()) - before, detail: res.json().detail };
};

const lastActor = async (ledger: SecuredLedger) => {
  const res = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/ledger/events' });
  return res.json().events.at(-1).actor;
};

describe('an OpenID Connect token identifies one person acting for one organisation, or is refused', () => {
  it('refuses a token whose sub is empty, blank, not a string, too long or holds a control character, and writes nothing', async () => {
    const ledger = await open({ oidc: provider.settings });
    const subjects: Record<string, unknown>[] = [
      { sub: '' },
      { sub: '   ' },
      { ['sub' as string]: 5 },
      { sub: 's'.repeat(196) },
      { sub: 'user\n1' },
      { sub: 'user\u00001' },
    ];
    for (const claims of subjects) {
      const token = await provider.tokens.valid(claimFor['plan-manager'], 'Dorset CCG', claims);
      const { answer, written } = await attempt(ledger, token);
      expect(answer, JSON.stringify(claims)).toEqual([401, 'invalid-token']);
      expect(written).toBe(0);
    }
    // The longest subject kept still fits the actor id the envelope allows.
    const longest = await provider.tokens.valid(claimFor['plan-manager'], 'Dorset CCG', { sub: 's'.repeat(195) });
    expect((await attempt(ledger, longest)).answer).toEqual([201, undefined]);
    expect((await lastActor(ledger)).id).toBe(`oidc:${'s'.repeat(195)}`);
  });

  it('refuses a token whose organisation claim names two organisations, rather than act for the first, and writes nothing', async () => {
    const ledger = await open({ oidc: provider.settings });
    const token = await provider.tokens.valid(claimFor['plan-manager'], 'Dorset CCG', { organisation: ['Dorset Police', 'Dorset CCG'] });
    const { answer, written, detail } = await attempt(ledger, token);
    expect(answer).toEqual([403, 'token-names-no-organisation']);
    expect(detail).toMatch(/names 2 organisations \(Dorset Police, NHS Dorset Clinical Commissioning Group\)/);
    expect(written).toBe(0);
  });

  it('accepts an organisation claim listing two names of one organisation, acting for it', async () => {
    const ledger = await open({ oidc: provider.settings });
    const token = await provider.tokens.valid(claimFor['plan-manager'], 'Dorset CCG', {
      organisation: ['Dorset CCG', 'NHS Dorset Clinical Commissioning Group'],
    });
    expect((await attempt(ledger, token)).answer).toEqual([201, undefined]);
    expect((await lastActor(ledger)).organisation).toBe('NHS Dorset Clinical Commissioning Group');
  });

  it('refuses an organisation claim longer than any organisation name may be, and writes nothing', async () => {
    const ledger = await open({ oidc: provider.settings });
    const token = await provider.tokens.valid(claimFor['plan-manager'], 'D'.repeat(301));
    const { answer, written } = await attempt(ledger, token);
    expect(answer).toEqual([403, 'token-names-no-organisation']);
    expect(written).toBe(0);
  });

  it('records a display name longer than an actor name may be cut to 200 characters, never inside a surrogate pair', async () => {
    const ledger = await open({ oidc: provider.settings });
    const long = await provider.tokens.valid(claimFor['plan-manager'], 'Dorset CCG', { name: 'n'.repeat(5000) });
    expect((await attempt(ledger, long)).answer).toEqual([201, undefined]);
    expect((await lastActor(ledger)).name).toBe('n'.repeat(200));

    const emoji = await provider.tokens.valid(claimFor['plan-manager'], 'Dorset CCG', {
      sub: 'user-2',
      name: `${'n'.repeat(199)}\u{1F600}tail`,
    });
    const res = await ledger.call(emoji, {
      method: 'POST',
      url: '/plans',
      payload: { planId: 'dorset-3', title: 'Dorset plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' },
    });
    expect(res.statusCode).toBe(201);
    expect((await lastActor(ledger)).name).toBe('n'.repeat(199));
  });
});
