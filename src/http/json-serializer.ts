import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { $ZodType, safeEncode } from 'zod/v4/core';
import { jsonBytes } from './json-bytes.ts';

/**
 * Every JSON answer is checked against its route's zod schema and encoded by it, as
 * fastify-type-provider-zod's serializer does, then sent as bytes made a piece at a time
 * (json-bytes.ts) rather than as one string.
 */
export const jsonSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema, method, url }) => {
  if (!(schema instanceof $ZodType)) throw new TypeError(`${method} ${url}: a response schema must be a zod schema`);
  return (data) => {
    const result = safeEncode(schema, data);
    if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
    // Fastify sends a Buffer as it is (its length is the content-length); its types say string.
    return jsonBytes(result.data) as unknown as string;
  };
};
