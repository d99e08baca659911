import type { SwaggerTransformObject } from '@fastify/swagger';

type Responses = Record<string, { content?: Record<string, unknown> } | undefined>;
type Operations = Record<string, { responses?: Responses } | undefined>;

/**
 * Every error answer is RFC 9457 problem details sent as `application/problem+json`
 * (problem.ts), but the document generator files each route's responses under the media types
 * of its success (`application/json`, or a download's `application/zip`), so generated clients
 * were told to parse errors as the route's success. Each 4xx and 5xx answer is published as
 * what is sent.
 */
export const withProblemMediaType: SwaggerTransformObject = (document) => {
  const described = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
  for (const operations of Object.values((described.paths ?? {}) as Record<string, Operations>))
    for (const operation of Object.values(operations ?? {}))
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (!/^[45]/.test(status) || !response?.content) continue;
        const schema = Object.values(response.content)[0];
        response.content = { 'application/problem+json': schema };
      }
  return described;
};
