import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON on the append path. The `canonicalize` package is the
 * reference: the offline verifier uses it, and a property test proves this function writes
 * the same text. This one exists because appends must stay cheap: it skips the reference's
 * per-character surrogate scan and cycle tracking (event bodies are trees parsed from JSON),
 * which roughly halves the cost. Strings and numbers go through JSON.stringify, whose
 * escaping and number formatting are exactly what JCS specifies (it defines them as ECMAScript's).
 */

// Well-formed JSON.stringify writes a lone surrogate as a \udXXX escape. Seeing one (or a
// literal backslash-u-d text that looks like it) sends the value to the reference, which
// refuses lone surrogates and writes everything else identically.
const SURROGATE_ESCAPE = /\\ud[89a-f]/i;

const write = (value: unknown): string => {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      text += (i === 0 ? '' : ',') + (item === undefined || typeof item === 'function' ? 'null' : write(item));
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  if (typeof record['toJSON'] === 'function') return write((record['toJSON'] as () => unknown)());
  // Array.prototype.sort compares UTF-16 code units: the order RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(record).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${write(member)}`;
    first = false;
  }
  return `${text}}`;
};

/** The RFC 8785 canonical text of a JSON value (objects, arrays, strings, finite numbers, booleans, null). */
export const canonicalJson = (value: unknown): string => {
  const text = write(value);
  return SURROGATE_ESCAPE.test(text) ? referenceCanonicalJson(value) : text;
};

/** The library's canonical form: what an independent verifier computes. */
export const referenceCanonicalJson = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonical JSON: value has no JSON form');
  return text;
};
