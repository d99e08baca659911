/**
 * A signed-in session on the pages of a real server at `url`, started as a person starts one: the sign-in form's CSRF
 * token and cookie, then the API key (with or without its "Bearer ") posted through it. The session cookie, as headers
 * to send with `fetch`. (Tests of an app in process sign in through `browserFor` in test/web/web-support.ts.)
 */
export const webSession = async (url: string, key: string): Promise<{ cookie: string }> => {
  const form = await fetch(`${url}/web/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const csrfCookie = form.headers
    .getSetCookie()
    .find((c) => c.startsWith('_csrf='))
    ?.split(';')[0];
  if (!csrf || !csrfCookie) throw new Error('the sign-in page gave no CSRF token');
  const signedIn = await fetch(`${url}/web/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: csrf, apiKey: key.replace(/^Bearer /, ''), next: '/web' }).toString(),
  });
  const session = signedIn.headers
    .getSetCookie()
    .find((c) => c.startsWith('al_session='))
    ?.split(';')[0];
  if (signedIn.status !== 303 || !session) throw new Error(`sign-in answered ${signedIn.status}`);
  return { cookie: session };
};
