import type { FastifyInstance } from 'fastify';
import { badRequest } from '../api/http/problem.ts';

// ES2024's String.prototype.isWellFormed (Node 20+); tsconfig targets ES2022, so declared here.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** C0 controls but tab, line feed and carriage return, and DEL: none is text a person wrote. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** What is wrong with a string, if anything: a lone surrogate, or a control character. */
const flaw = (text: string): { code: string; found: string } | undefined => {
  if (!isWellFormed(text))
    return { code: 'malformed-unicode', found: 'a lone surrogate (\\ud800–\\udfff escape), which is not Unicode text' };
  const control = CONTROL.exec(text);
  if (!control) return undefined;
  const codePoint = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return { code: 'control-character', found: `a control character (U+${codePoint}): only tab and line breaks may be part of a text` };
};

/**
 * The first string (value or key) of a body that is not text, with its JSON path, or undefined.
 * Walked with an explicit stack, not recursion: a body nested thousands deep must get its 400
 * from validation, not a stack overflow here.
 */
export const firstIllFormedText = (body: unknown): { path: string; code: string; found: string } | undefined => {
  const pending: Array<[unknown, string]> = [[body, 'body']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const wrong = flaw(value);
      if (wrong) return { path, ...wrong };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}.${i}`]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        const wrong = flaw(key);
        if (wrong) return { path: `${path} (a field name)`, ...wrong };
      }
      for (let i = entries.length - 1; i >= 0; i--) pending.push([entries[i]![1], `${path}.${entries[i]![0]}`]);
    }
  }
  return undefined;
};

/**
 * JSON may carry "\ud800", a lone surrogate that is no Unicode text at all: it cannot be
 * canonicalised (RFC 8785) or hashed into the chain. It may also carry "\u0000" or another
 * control character, invisible on a page, cut short by C strings and refused by XML, in the
 * evidence pack and every export. Both are refused at the door with a 400 naming where they
 * are, rather than kept for ever in the ledger.
 */
export const refuseIllFormedText = (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) return;
    const wrong = firstIllFormedText(request.body);
    if (wrong) throw badRequest(wrong.code, `${wrong.path} contains ${wrong.found}`);
  });
};
