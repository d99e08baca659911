/**
 * Zod's own messages in the words the API uses elsewhere ("must be …"): "Too small: expected
 * string to have >=1 characters" told a person who sent "   " nothing they could act on.
 * Only zod's defaults are rewritten; a schema's own message (say, "must be a whole number from
 * 1 to 1000") is already plain and is kept.
 */
interface Issue {
  keyword: string;
  message?: string | undefined;
  params?: Record<string, unknown> | undefined;
}

const NOUNS: Record<string, string> = {
  string: 'text (a JSON string)',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  array: 'a list',
  tuple: 'a list',
  date: 'a date',
};

const size = (origin: unknown, n: number) =>
  origin === 'string'
    ? `${n} character${n === 1 ? '' : 's'}`
    : origin === 'array' || origin === 'set'
      ? `${n} item${n === 1 ? '' : 's'}`
      : `${n}`;

/** A query parameter given twice is named as such before this is asked (error-handler.ts, `givenTwice`). */
export const plainValidationMessage = (issue: Issue): string => {
  const message = issue.message ?? 'is invalid';
  const p = issue.params ?? {};
  if (issue.keyword === 'invalid_type' && message.startsWith('Invalid input:')) {
    if (message.endsWith('received undefined')) return 'is required';
    return `must be ${NOUNS[String(p['expected'])] ?? String(p['expected'])}`;
  }
  if (issue.keyword === 'too_small' && message.startsWith('Too small:')) {
    const minimum = Number(p['minimum']);
    // Most text fields are trimmed first, so "   " is told this too.
    if (p['origin'] === 'string' && minimum === 1) return 'must not be empty';
    if (p['origin'] === 'array' && minimum === 1) return 'must name at least one';
    return p['origin'] === 'number' || p['origin'] === 'bigint'
      ? `must be ${p['inclusive'] === false ? 'more than' : 'at least'} ${minimum}`
      : `must have at least ${size(p['origin'], minimum)}`;
  }
  if (issue.keyword === 'too_big' && message.startsWith('Too big:')) {
    const maximum = Number(p['maximum']);
    return p['origin'] === 'number' || p['origin'] === 'bigint'
      ? `must be ${p['inclusive'] === false ? 'less than' : 'at most'} ${maximum}`
      : `must have at most ${size(p['origin'], maximum)}`;
  }
  if (issue.keyword === 'invalid_value' && message.startsWith('Invalid option:') && Array.isArray(p['values']))
    return `must be one of ${(p['values'] as unknown[]).map(String).join(', ')}`;
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(p['keys'])) {
    const keys = (p['keys'] as unknown[]).map((k) => `"${String(k)}"`).join(', ');
    // A misspelt name (`asof`) is the usual cause: names are matched exactly.
    return `does not take ${keys} (names are matched exactly, capitals included)`;
  }
  return message;
};
