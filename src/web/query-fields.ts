/**
 * A field of a page's address as the page's own forms send it. A field given more than once (an
 * address put together by hand) is refused, as the API refuses it (400), never read as absent.
 */
export const TWICE: unique symbol = Symbol('given twice');

/** A field as the address gives it: trimmed, undefined when empty or absent, or TWICE. */
export const given = (value: unknown): string | undefined | typeof TWICE =>
  Array.isArray(value) ? TWICE : typeof value === 'string' && value.trim() ? value.trim() : undefined;

/** The field's one value, or undefined when it was absent or given twice (refused apart). */
export const once = (value: string | undefined | typeof TWICE): string | undefined => (value === TWICE ? undefined : value);

/**
 * `path` with the query of a request's address (`url`, as sent) without the named fields: where a
 * page sends a browser (303) to the address the one asked for stands for. The caller gives the path:
 * the request's own, read as a URL, takes backslashes for slashes and climbs dot segments, so it
 * may name another page, or another site ("//evil.example/…").
 */
export const pathWithQueryWithout = (path: string, url: string, without: readonly string[]): string => {
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  for (const name of without) query.delete(name);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
};

/**
 * The path of a request's address (`url`, as sent) as the router read it, with nothing read as a URL
 * would read it (no backslashes made slashes, no dot segments climbed): from the request line's
 * origin form, or after the scheme and host of its absolute form (RFC 9112 3.2.2, which the router
 * takes too), up to the first '?' or '#' (the router ends a path at either).
 */
export const pathAsRouted = (url: string): string => {
  const origin = /^https?:\/\/[^/?#]*/i.exec(url);
  const rest = origin ? url.slice(origin[0].length) : url;
  const end = rest.search(/[?#]/);
  return end < 0 ? rest : rest.slice(0, end);
};
