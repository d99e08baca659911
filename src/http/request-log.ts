import type { FastifyRequest } from 'fastify';

/** Query parameters that carry one-time secrets (an OpenID provider's authorization code and state on the sign-in callback). */
const SECRET_PARAMETERS = /([?&](?:code|state|session_state|id_token|access_token)=)[^&#]*/gi;

/**
 * How a request appears in the JSON log: method, path and query, host, client address; never
 * headers (credentials, cookies) or bodies (keys typed into the sign-in form), and with the
 * values of secret-bearing query parameters replaced.
 */
export const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: request.url.replace(SECRET_PARAMETERS, '$1[redacted]'),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});
