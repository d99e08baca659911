import type { FastifyInstance } from 'fastify';
import { badRequest } from '../api/http/problem.ts';
import { firstTextWhere } from '../domain/first-text.ts';

// ES2024's String.prototype.isWellFormed (Node 20+); tsconfig targets ES2022, so declared here.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The JSON path of the first string (value or key) holding a lone UTF-16 surrogate, or undefined. */
export const firstIllFormedText = (body: unknown): string | undefined => {
  const found = firstTextWhere(body, (text) => !isWellFormed(text), 'body');
  return found && (found.isKey ? `${found.path} (a field name)` : found.path);
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
    if (where)
      throw badRequest('malformed-unicode', `${where} contains a lone surrogate (\\ud800–\\udfff escape), which is not Unicode text`);
  });
};
