import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { InvalidSchemaError, ResponseSerializationError } from 'fastify-type-provider-zod';
import { $ZodType, safeEncode } from 'zod/v4/core';
import { jsonBytes } from './json-bytes.ts';

/** A route's response schema as fastify-type-provider-zod takes it: a zod schema, or one under `properties`. */
const zodSchemaOf = (schema: unknown): $ZodType => {
  if (schema instanceof $ZodType) return schema;
  const properties: unknown = typeof schema === 'object' && schema !== null ? (schema as { properties?: unknown }).properties : undefined;
  if (properties instanceof $ZodType) return properties;
  throw new InvalidSchemaError(JSON.stringify(schema));
};

/**
 * Every JSON answer is checked against its route's zod schema and encoded by it, as
 * fastify-type-provider-zod's serializer does, then sent as bytes made a piece at a time
 * (json-bytes.ts) rather than as one string.
 */
export const jsonSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema: given, method, url }) => {
  const schema = zodSchemaOf(given);
  return (data) => {
    const result = safeEncode(schema, data);
    if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
    // Fastify sends a Buffer as it is (its length is the content-length); its types say string.
    return jsonBytes(result.data) as unknown as string;
  };
};
