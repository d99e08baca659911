import type { SwaggerTransformObject } from '@fastify/swagger';

type Responses = Record<string, { description?: string; content?: Record<string, unknown> } | undefined>;
type Operations = Record<string, { responses?: Responses } | undefined>;

/**
 * The error answers as they are sent, laid over what the document generator made of the routes:
 * - each 4xx and 5xx answer is RFC 9457 problem details sent as `application/problem+json`
 *   (problem.ts), but the generator files it under the media type of the route's success
 *   (`application/json`, or a download's `application/zip`), so generated clients were told to
 *   parse errors as the route's success;
 * - a route with a path parameter answers 414 `path-segment-too-long` before routing
 *   (error-handler.ts) when a segment is longer than any id, which no route declares itself.
 */
export const withErrorAnswers: SwaggerTransformObject = (document) => {
  const described = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
  for (const [path, operations] of Object.entries((described.paths ?? {}) as Record<string, Operations>))
    for (const operation of Object.values(operations ?? {})) {
      const responses = operation?.responses;
      if (!responses) continue;
      let problem: unknown;
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]/.test(status) || !response?.content) continue;
        problem = Object.values(response.content)[0];
        response.content = { 'application/problem+json': problem };
      }
      if (path.includes('{') && problem && !responses['414'])
        responses['414'] = {
          description: 'A segment of the path is longer than any id or organisation name (300 characters, 2,700 percent-encoded)',
          content: { 'application/problem+json': problem },
        };
    }
  return described;
};
