/** A value JSON.stringify asks for its text through its toJSON. */
export const hasToJson = (value: unknown): value is { toJSON: (key: string) => unknown } =>
  typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';

/**
 * An array, or a plain object without toJSON: what JSON.stringify writes entry by entry, so what
 * may be written a piece at a time with the same text. Anything else (a date, a boxed number, a
 * map) JSON.stringify writes its own way, so it is written whole.
 */
export const isEntryWise = (value: unknown): value is object => {
  if (typeof value !== 'object' || value === null || hasToJson(value)) return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};
