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
