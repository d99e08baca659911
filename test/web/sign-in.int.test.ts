import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();
const openWeb = () => open({}, { web: {} });

describe('signing in to the pages', () => {
  it('sends a browser at / to the home page, and an anonymous one on to sign in', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    const root = await browser.get('/');
    expect(root.statusCode).toBe(303);
    expect(root.headers.location).toBe('/web');
    const home = await browser.get('/web');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/web/sign-in?next=%2Fweb');
    const signIn = await browser.get('/web/sign-in?next=%2Fweb');
    expect(signIn.statusCode).toBe(200);
    expect(signIn.headers['content-type']).toMatch(/^text\/html/);
    expect(signIn.body).toContain('API key');
  });

  it('starts a session with a valid key: HttpOnly, SameSite=Strict, limited to the pages, with an expiry', async () => {
    const ledger = await openWeb();
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    const res = await browser.signIn(ledger.keyFor('viewer'));
    expect(res.headers.location).toBe('/web');
    const cookie = (res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string; maxAge?: number }[]).find(
      (c) => c.name === 'al_session',
    )!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/web' });
    expect(cookie.maxAge).toBeGreaterThan(3000);
    const home = await browser.get('/web');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Dorset Crisis Care Concordat action plan');
    expect(home.body).toContain('viewer of Dorset CCG');
  });
});
