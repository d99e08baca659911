import type { FastifyInstance } from 'fastify';
import { badRequest } from '../api/http/problem.ts';

// ES2024's String.prototype.isWellFormed (Node 20+); tsconfig targets ES2022, so declared here.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The JSON path of the first string (value or key) holding a lone UTF-16 surrogate, or
 * undefined. Walked with an explicit stack, not recursion: a body nested thousands deep
 * must get its 400 from validation, not a stack overflow here.
 */
export const firstIllFormedText = (body: unknown): string | undefined => {
  const pending: Array<[unknown, string]> = [[body, 'body']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (!isWellFormed(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}.${i}`]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) if (!isWellFormed(key)) return `${path} (a field name)`;
      for (let i = entries.length - 1; i >= 0; i--) pending.push([entries[i]![1], `${path}.${entries[i]![0]}`]);
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
    if (where)
      throw badRequest('malformed-unicode', `${where} contains a lone surrogate (\\ud800–\\udfff escape), which is not Unicode text`);
  });
};
