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
    // The address's clocks go with it, on to sign-in and back.
    const past = await browser.get('/?effectiveOn=2016-07&asOf=2019-03-01T10%3A00%2B01%3A00');
    expect(past.statusCode).toBe(303);
    expect(past.headers.location).toBe('/web?effectiveOn=2016-07&asOf=2019-03-01T10%3A00%2B01%3A00');
    const pastHome = await browser.get(past.headers.location as string);
    expect(pastHome.headers.location).toBe(`/web/sign-in?next=${encodeURIComponent(past.headers.location as string)}`);
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
    const res = await browser.signIn(await ledger.keyFor('viewer'));
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

describe('sessions', () => {
  it('refuses a wrong key on the sign-in form with the error summary, and never puts the key in a URL', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    const wrong = await browser.submit('/web/sign-in', '/web/sign-in', { apiKey: `al_0123456789abcdef_${'A'.repeat(43)}`, next: '/web' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('nhsuk-error-summary');
    expect(wrong.body).toContain('The API key is not valid');
    expect(wrong.body).not.toContain('AAAAAAAAAA');
    expect(wrong.headers['set-cookie'] ?? '').not.toContain('al_session');
    const empty = await browser.submit('/web/sign-in', '/web/sign-in', { apiKey: '', next: '/web' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your API key');
  });

  it('ends every session of a key when the key is revoked, at the next page', async () => {
    const ledger = await openWeb();
    await seedDorsetPlan(ledger);
    const key = await ledger.keyFor('viewer');
    const first = browserFor(ledger);
    const second = browserFor(ledger);
    await first.signIn(key);
    await second.signIn(key);
    expect((await first.get('/web')).statusCode).toBe(200);
    await ledger.access.keys.revoke(key.slice(3, 19), 'test');
    for (const browser of [first, second]) {
      const res = await browser.get('/web/plans/dorset');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/web/sign-in?next=%2Fweb%2Fplans%2Fdorset&why=session-ended');
      expect(browser.jar.get('al_session')).toBeUndefined();
    }
    const page = await first.get('/web/sign-in?why=session-ended');
    expect(page.body).toContain('key it was started with has been revoked');
  });

  it('sends an expired or tampered session back to sign in', async () => {
    const ledger = await open({}, { web: { sessions: { secret: new Uint8Array(32).fill(7), ttlSeconds: 1 } } });
    const browser = browserFor(ledger);
    const signedIn = await browser.signIn(await ledger.keyFor('viewer'));
    // From the answer, not the jar: a session of one second, whose Expires is in whole seconds,
    // can be past by the time the answer arrives on a busy machine, and the jar drops it as a browser would.
    const token = (signedIn.cookies as { name: string; value: string }[]).find((c) => c.name === 'al_session')!.value;
    const [header, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    browser.jar.set(
      'al_session',
      `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 3600 })).toString('base64url')}.${token.split('.')[2]}`,
    );
    const tampered = await browser.get('/web');
    expect(tampered.headers.location).toBe('/web/sign-in?next=%2Fweb&why=session-invalid');
    browser.jar.set('al_session', token);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await browser.get('/web');
    expect(expired.statusCode).toBe(303);
    expect(expired.headers.location).toBe('/web/sign-in?next=%2Fweb&why=session-expired');
  });

  it('signs out: the session cookie is cleared and the pages ask to sign in again', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer'));
    const out = await browser.signOut();
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/web/sign-in?why=signed-out');
    expect(browser.jar.get('al_session')).toBeUndefined();
    expect((await browser.get('/web')).statusCode).toBe(303);
  });

  it('sends people back only to pages of this service after signing in', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    const res = await browser.submit('/web/sign-in', '/web/sign-in', {
      apiKey: await ledger.keyFor('viewer'),
      next: 'https://evil.example/',
    });
    expect(res.headers.location).toBe('/web');
    const slashes = await browserFor(ledger).submit('/web/sign-in', '/web/sign-in', {
      apiKey: await ledger.keyFor('viewer'),
      next: '//evil.example/web',
    });
    expect(slashes.headers.location).toBe('/web');
  });

  it('makes the session cookie Secure when the request came over TLS through a trusted proxy, and only then', async () => {
    const sessionCookie = async (trustProxy: boolean) => {
      const ledger = await open({}, { web: {}, trustProxy });
      const browser = browserFor(ledger);
      const page = await browser.get('/web/sign-in');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const res = await browser.request({
        method: 'POST',
        url: '/web/sign-in',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
        payload: new URLSearchParams({ _csrf: token, apiKey: await ledger.keyFor('viewer'), next: '/web' }).toString(),
      });
      return (res.cookies as { name: string; secure?: boolean }[]).find((c) => c.name === 'al_session')!;
    };
    // Without a trusted proxy, X-Forwarded-Proto is ignored: the request is plain http.
    expect((await sessionCookie(false)).secure).toBeFalsy();
    expect((await sessionCookie(true)).secure).toBe(true);
  });
});
