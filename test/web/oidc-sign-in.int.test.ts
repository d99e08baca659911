import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcSignIn } from '../../src/access/oidc-sign-in.ts';
import { toWebOidcSettings, WebOidcEnv } from '../../src/access/oidc-sign-in-config.ts';
import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { followToRedirectUri, startSignInProvider, type SignInProvider } from '../support/oidc-sign-in-provider.ts';
import { browserFor, hiddenFieldsOf } from './web-support.ts';

const REDIRECT = 'http://127.0.0.1:3000/web/sign-in/callback';
const open = useSecuredLedger();
let provider: SignInProvider;
beforeAll(async () => {
  provider = await startSignInProvider(REDIRECT);
});
afterAll(() => provider.close());

/** The pages with OpenID Connect sign-in configured from environment variables, as the server reads them. */
const openWithSignIn = async (env: Record<string, string>) => {
  // Set once the ledger is open; the sign-in reads it only when a person signs in, after that.
  let directory: OrganisationDirectory | undefined = undefined;
  const settings = toWebOidcSettings(
    WebOidcEnv.parse({ LEDGER_WEB_OIDC_ISSUER: provider.issuer, LEDGER_WEB_OIDC_REDIRECT_URI: REDIRECT, ...env }),
  )!;
  const oidc = createOidcSignIn(settings, { canonical: (name) => directory!.canonical(name) });
  const ledger = await open({}, { web: { oidc } });
  directory = ledger.organisations;
  await seedDorsetPlan(ledger);
  return ledger;
};

/** Signs in through the provider as a browser would: to the provider, back to the callback, then on to the pages. */
const signInThroughProvider = async (browser: ReturnType<typeof browserFor>) => {
  const start = await browser.get('/web/sign-in/oidc?next=%2Fweb%2Fplans%2Fdorset');
  expect(start.statusCode).toBe(303);
  const authorize = new URL(start.headers.location as string);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('code_challenge')).toBeTruthy();
  const back = await followToRedirectUri(authorize.href, REDIRECT);
  return browser.get(back.slice('http://127.0.0.1:3000'.length));
};

describe('signing in with OpenID Connect', () => {
  it('maps a CIS2 person by the role they selected and its ODS organisation code, read from UserInfo (client secret)', async () => {
    const ledger = await openWithSignIn({
      LEDGER_WEB_OIDC_PROFILE: 'cis2',
      LEDGER_WEB_OIDC_CLIENT_ID: 'ledger-web',
      LEDGER_WEB_OIDC_CLIENT_SECRET: 'a-client-secret-long-enough-for-tests',
      LEDGER_WEB_OIDC_ROLE_MAP: JSON.stringify({ 'S8000:G8000:R8001': 'contributor', 'S8000:G8000:R8000': 'plan-manager' }),
    });
    // The ODS code of Dorset HealthCare, listed as one of its names.
    ledger.organisations.learn([{ name: 'Dorset HealthCare University NHS Foundation Trust', aliases: ['RDY'] }]);
    provider.as('cis2-555', {
      name: 'Priya Patel',
      selected_roleid: '555000000002',
      nhsid_nrbac_roles: [
        { person_roleid: '555000000001', org_code: 'X26', role_code: 'S8000:G8000:R8000', role_name: '"Admin":"Management":"Manager"' },
        {
          person_roleid: '555000000002',
          org_code: 'RDY',
          role_code: 'S8000:G8000:R8001',
          role_name: '"Clinical":"Clinical Provision":"Nurse Access Role"',
        },
      ],
    });
    const browser = browserFor(ledger);
    const landed = await signInThroughProvider(browser);
    expect(landed.statusCode, /nhsuk-body-l">([^<]*)/.exec(landed.body)?.[1]).toBe(200);
    expect(landed.body).toContain('url=/web/plans/dorset');
    expect(landed.body).toContain('Priya Patel (contributor, Dorset HealthCare University NHS Foundation Trust)');
    const plan = await browser.get('/web/plans/dorset');
    expect(plan.statusCode).toBe(200);
    expect(plan.body).toContain('Signed in as <strong>Priya Patel</strong>');
  });

  it('maps an Entra ID person by their app role, for the tenant organisation (private-key JWT client)', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-key-')), 'client.pem');
    fs.writeFileSync(keyFile, provider.clientPrivateKeyPem);
    const ledger = await openWithSignIn({
      LEDGER_WEB_OIDC_PROFILE: 'entra',
      LEDGER_WEB_OIDC_CLIENT_ID: 'ledger-web-jwt',
      LEDGER_WEB_OIDC_CLIENT_PRIVATE_KEY_FILE: keyFile,
      LEDGER_WEB_OIDC_SCOPES: 'openid profile roles',
      LEDGER_WEB_OIDC_ROLE_MAP: JSON.stringify({ 'Ledger.Auditor': 'auditor' }),
      LEDGER_WEB_OIDC_ORGANISATION: 'Dorset CCG',
    });
    provider.as('entra-oid-1', { name: 'Alex Inquiry', roles: ['Ledger.Auditor'] });
    const browser = browserFor(ledger);
    const landed = await signInThroughProvider(browser);
    expect(landed.body).toContain('Alex Inquiry (auditor, NHS Dorset Clinical Commissioning Group)');
    expect((await browser.get('/web/integrity')).statusCode).toBe(200);
  });

  it('refuses a person whose claims give no role of this service, and one whose sign-in was not started here', async () => {
    const ledger = await openWithSignIn({
      LEDGER_WEB_OIDC_PROFILE: 'entra',
      LEDGER_WEB_OIDC_CLIENT_ID: 'ledger-web',
      LEDGER_WEB_OIDC_CLIENT_SECRET: 'a-client-secret-long-enough-for-tests',
      LEDGER_WEB_OIDC_SCOPES: 'openid profile roles',
      LEDGER_WEB_OIDC_ROLE_MAP: JSON.stringify({ 'Ledger.Viewer': 'viewer' }),
      LEDGER_WEB_OIDC_ORGANISATION: 'Dorset CCG',
    });
    provider.as('entra-oid-2', { name: 'No Role', roles: ['Something.Else'] });
    const browser = browserFor(ledger);
    const refused = await signInThroughProvider(browser);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('holds no role this service knows');
    expect(browser.jar.get('al_session')).toBeUndefined();
    const stranger = await browserFor(ledger).get('/web/sign-in/callback?code=abc&state=xyz');
    expect(stranger.statusCode).toBe(400);
    expect(stranger.body).toContain('was not started here');
  });

  it('records a person whose provider puts control characters in their name without them, and refuses an organisation holding one', async () => {
    const ledger = await openWithSignIn({
      LEDGER_WEB_OIDC_PROFILE: 'cis2',
      LEDGER_WEB_OIDC_CLIENT_ID: 'ledger-web',
      LEDGER_WEB_OIDC_CLIENT_SECRET: 'a-client-secret-long-enough-for-tests',
      LEDGER_WEB_OIDC_ROLE_MAP: JSON.stringify({ 'S8000:G8000:R8000': 'plan-manager' }),
    });
    ledger.organisations.learn([{ name: 'NHS Dorset Clinical Commissioning Group', aliases: ['11J'] }]);
    const role = (orgCode: string) => [{ person_roleid: '1', org_code: orgCode, role_code: 'S8000:G8000:R8000' }];
    provider.as('cis2-777', { name: 'Sam\u0000 Jones\u000b\tMBE', nhsid_nrbac_roles: role('11J') });
    const browser = browserFor(ledger);
    expect((await signInThroughProvider(browser)).body).toContain('Sam Jones MBE (plan-manager, NHS Dorset Clinical Commissioning Group)');
    const before = await ledger.store.count();
    const form = '/web/plans/dorset/actions/1.3/progress-update';
    const written = await browser.submit(form, form, { ...hiddenFieldsOf((await browser.get(form)).body), narrative: 'Protocol agreed' });
    expect(written.statusCode, written.body.slice(0, 300)).toBe(303);
    expect(await ledger.store.count()).toBe(before + 1);
    for await (const event of ledger.store.readAll({ fromPosition: BigInt(before) })) expect(event.actor.name).toBe('Sam Jones MBE');

    provider.as('cis2-778', { name: 'Lee Hidden', nhsid_nrbac_roles: role('11J\u0001') });
    const refusedBrowser = browserFor(ledger);
    const refused = await signInThroughProvider(refusedBrowser);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('holds an invisible character (U+0001), so it matches no organisation');
    expect(refusedBrowser.jar.get('al_session')).toBeUndefined();
  });

  it('offers the provider on the sign-in page beside API keys', async () => {
    const ledger = await openWithSignIn({
      LEDGER_WEB_OIDC_PROFILE: 'cis2',
      LEDGER_WEB_OIDC_CLIENT_ID: 'ledger-web',
      LEDGER_WEB_OIDC_CLIENT_SECRET: 'a-client-secret-long-enough-for-tests',
    });
    const page = await browserFor(ledger).get('/web/sign-in');
    expect(page.body).toContain('Sign in with NHS Care Identity Service 2');
    expect(page.body).toContain('Or sign in with an API key');
  });
});
