import type { FastifyInstance } from 'fastify';
import { badRequest } from './problem.ts';

// ES2024's String.prototype.isWellFormed (Node 20+); tsconfig targets ES2022, so declared here.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The JSON path of the first string (value or key) holding a lone UTF-16 surrogate, or undefined. */
export const firstIllFormedText = (value: unknown, path = 'body'): string | undefined => {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstIllFormedText(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!isWellFormed(key)) return `${path} (a field name)`;
      const found = firstIllFormedText(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
};

/**
 * JSON may carry "\ud800", a lone surrogate that is no Unicode text at all: it cannot be
 * canonicalised (RFC 8785) or hashed into the chain, so it is refused at the door with a
 * 400 naming where it is, rather than failing deep in an append.
 */
export const refuseIllFormedText = (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) return;
    const where = firstIllFormedText(request.body);
    if (where) throw badRequest('malformed-unicode', `${where} contains a lone surrogate (\\ud800–\\udfff escape), which is not Unicode text`);
  });
};
