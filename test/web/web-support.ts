import { connect } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/access/roles.ts';
import { seedDorsetPlan, type SecuredLedger, type useSecuredLedger } from '../support/access.ts';

/** A browser's cookie jar for inject(): what Set-Cookie said, sent back on the next request. */
export const cookieJar = () => {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    take(res: LightMyRequestResponse) {
      for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
        const gone = c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
        if (gone) cookies.delete(c.name);
        else cookies.set(c.name, c.value);
      }
    },
    get: (name: string) => cookies.get(name),
    set: (name: string, value: string) => cookies.set(name, value),
  };
};
export type CookieJar = ReturnType<typeof cookieJar>;

/** The CSRF token of the first form on a page. */
export const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no CSRF token');
  return match[1]!;
};

/** A person in a browser: cookies kept between requests, forms posted with their CSRF token. */
export const browserFor = (ledger: SecuredLedger) => {
  const jar = cookieJar();
  const request = async (options: InjectOptions) => {
    const res = await ledger.app.inject({ ...options, headers: { ...options.headers, cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  const get = (url: string) => request({ method: 'GET', url });
  /** Opens the form's page first (as a person would), then posts the fields with that page's token. */
  const submit = async (pageUrl: string, action: string, fields: Record<string, string>, extra: { csrf?: string } = {}) => {
    const page = await get(pageUrl);
    const token = extra.csrf ?? csrfOf(page.body);
    return request({
      method: 'POST',
      url: action,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  };
  const signIn = async (apiKey: string) => {
    const res = await submit('/web/sign-in', '/web/sign-in', { apiKey, next: '/web' });
    if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return res;
  };
  const signOut = () => submit('/web', '/web/sign-out', {});
  return { jar, request, get, submit, signIn, signOut };
};
export type Browser = ReturnType<typeof browserFor>;

/**
 * How most page tests begin: the app with its pages (opened by a test file's `useSecuredLedger()`), the Dorset plan, and
 * a person signed in with a key of `role` (in Dorset CCG unless another organisation is named).
 */
export const dorsetSignedIn = async (open: ReturnType<typeof useSecuredLedger>, role: Role, organisation?: string) => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor(role, organisation));
  return { ledger, browser };
};

const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The fields of the page's form posting to `action`, as a browser sends them untouched: inputs
 * with their values, text areas with their text, whose line breaks a browser sends as CRLF
 * (and whose first line break after the tag HTML drops).
 */
export const formAsBrowserSends = (html: string, action: string): Record<string, string> => {
  const start = html.indexOf(`<form method="post" action="${action}`);
  if (start < 0) throw new Error(`the page has no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(input[0])?.[1];
    if (name && name !== '_csrf') values[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  for (const area of form.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    values[area[1]!] = unescapeHtml(area[2]!).replace(/^\n/, '').replace(/\r?\n/g, '\r\n');
  return values;
};

/**
 * The hidden fields a recording form carries (the revision it was opened at, its command id, and
 * a correction form's values as opened), as a browser would send them back.
 */
export const hiddenFieldsOf = (html: string): Record<string, string> => {
  const opened = /name="opened" value="([^"]+)"/.exec(html)?.[1];
  return {
    revision: /name="revision" value="(\d+)"/.exec(html)![1]!,
    commandId: /name="commandId" value="([^"]+)"/.exec(html)![1]!,
    ...(opened !== undefined && { opened: unescapeHtml(opened) }),
  };
};

/**
 * A GET sent over a socket byte for byte, as a client that does not tidy its path sends it (inject,
 * and browsers, turn backslashes into slashes and drop dot segments first): its status and Location.
 */
export const sentAsIs = (base: string, path: string, cookie: string): Promise<{ status: number; location: string | undefined }> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const socket = connect(Number(port), hostname, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ledger.example\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve({ status: Number(text.split(' ')[1]), location: /^location: (.*)$/im.exec(text.split('\r\n\r\n')[0]!)?.[1]?.trim() }),
    );
  });

/** A page's words, without its markup: what a test of its wording reads. */
export const pageWords = (html: string) =>
  html
    .replaceAll('&#39;', "'")
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
