import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { claimFor, startOidcProvider, type OidcProvider } from '../support/oidc-provider.ts';

const open = useSecuredLedger();
let provider: OidcProvider;
beforeAll(async () => {
  provider = await startOidcProvider();
});
afterAll(() => provider.close());

const lastEvent = async (ledger: SecuredLedger) => {
  const res = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/ledger/events' });
  return res.json().events.at(-1);
};

/** Headers a client might hope the ledger trusts for identity. */
const spoofHeaders = {
  'x-actor-id': 'someone-else',
  'x-user': 'Chief Executive',
  'x-forwarded-user': 'admin',
  'x-organisation': 'Dorset Police',
  'x-role': 'admin',
  'remote-user': 'root',
};

describe('attribution: the actor comes from the credentials and nothing else', () => {
  it('an API key: actor id, name, organisation, role and key id are the key’s, whatever the headers say', async () => {
    const ledger = await open();
    const { access } = ledger;
    const key = await access.keys.create({
      name: 'Pat Manager',
      role: 'plan-manager',
      organisation: access.directory.canonical('Dorset CCG'),
      createdBy: 'test',
    });
    const res = await ledger.call(key.key, {
      method: 'POST',
      url: '/plans',
      headers: spoofHeaders,
      payload: { planId: 'p1', title: 'Plan', kind: 'other', owner: 'Dorset CCG' },
    });
    expect(res.statusCode).toBe(201);
    expect((await lastEvent(ledger)).actor).toEqual({
      id: `api-key:${key.record.keyId}`,
      name: 'Pat Manager',
      organisation: 'NHS Dorset Clinical Commissioning Group',
      role: 'plan-manager',
      keyId: key.record.keyId,
    });
  });

  it('a body that names an actor is refused outright and writes nothing', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const before = await ledger.store.count();
    for (const field of ['actor', 'recordedAt', 'keyId', 'provenance']) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/1.3/progress-updates',
        payload: {
          narrative: 'Done',
          [field]: { id: 'chief-exec', name: 'Chief Executive', organisation: 'Dorset Police', role: 'admin' },
        },
      });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().code).toBe('validation-failed');
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('a token: the actor id is the token subject, and organisation and role come from its claims', async () => {
    const ledger = await open({ oidc: provider.settings });
    await seedDorsetPlan(ledger);
    const token = await provider.tokens.valid(claimFor.contributor, 'SWAST', { sub: 'swast-user-7', name: 'Ali Paramedic' });
    const res = await ledger.call(token, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/evidence',
      headers: spoofHeaders,
      payload: { title: 'Audit report', uri: 'https://example.org/a.pdf' },
    });
    expect(res.statusCode).toBe(201);
    expect((await lastEvent(ledger)).actor).toEqual({
      id: 'oidc:swast-user-7',
      name: 'Ali Paramedic',
      organisation: 'South Western Ambulance Service NHS Foundation Trust',
      role: 'contributor',
    });
  });

  it('a token whose name claim holds control characters: the actor is named without them, and the write is recorded', async () => {
    const ledger = await open({ oidc: provider.settings });
    await seedDorsetPlan(ledger);
    const token = await provider.tokens.valid(claimFor.contributor, 'SWAST', { sub: 'swast-user-8', name: 'Ali\u0000 Paramedic\u001b' });
    const res = await ledger.call(token, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/evidence',
      payload: { title: 'Audit report', uri: 'https://example.org/a.pdf' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await lastEvent(ledger)).actor.name).toBe('Ali Paramedic');
  });
});

describe('organisation scope on commands', () => {
  it("a contributor cannot touch another organisation's action, and the refusal writes nothing", async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const police = await ledger.keyFor('contributor', 'Dorset Police');
    const before = await ledger.store.count();
    for (const [url, payload] of [
      ['/plans/dorset/actions/1.3/progress-updates', { narrative: 'Not ours' }],
      ['/plans/dorset/actions/1.3/evidence', { title: 'Not ours', uri: 'https://example.org/x' }],
      ['/plans/dorset/recommendations/R1/progress-updates', { narrative: 'Not addressed to us' }],
      ['/plans/dorset/actions/2.1/completion', { completedOn: '2017-08' }],
    ] as const) {
      const res = await ledger.call(police, { method: 'POST', url, payload });
      expect(res.statusCode, url).toBe(403);
      expect(['not-your-organisation', 'role-not-permitted']).toContain(res.json().code);
    }
    expect(await ledger.store.count()).toBe(before);
    // Its own action is fine.
    expect(
      (
        await ledger.call(police, {
          method: 'POST',
          url: '/plans/dorset/actions/2.1/progress-updates',
          payload: { narrative: 'Protocol signed' },
        })
      ).statusCode,
    ).toBe(201);
  });

  it('a plan manager of an organisation the plan does not name is refused; refusal comes before the revision check and the idempotent replay', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const first = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/sections',
      headers: { 'idempotency-key': 'section-9' },
      payload: { sectionRef: '9', title: 'More' },
    });
    expect(first.statusCode).toBe(201);
    const outsider = await ledger.keyFor('plan-manager', 'Kent Police');
    const before = await ledger.store.count();
    const replay = await ledger.call(outsider, {
      method: 'POST',
      url: '/plans/dorset/sections',
      headers: { 'idempotency-key': 'section-9' },
      payload: { sectionRef: '9', title: 'More' },
    });
    expect(replay.statusCode).toBe(403);
    expect(replay.json().code).toBe('not-your-organisation');
    const stale = await ledger.call(outsider, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/withdrawal',
      headers: { 'if-match': '"0"' },
      payload: { reason: 'x' },
    });
    expect(stale.statusCode).toBe(403);
    const register = await ledger.call(outsider, {
      method: 'POST',
      url: '/plans',
      payload: { planId: 'kent', title: 'Kent', kind: 'other', owner: 'Dorset CCG' },
    });
    expect(register.statusCode).toBe(403);
    expect(await ledger.store.count()).toBe(before);
  });
});
