import type { FastifyRequest } from 'fastify';
import { urlWithoutCredentials } from '../api/http/credentials-in-url.ts';

/**
 * How a request appears in the JSON log: method, path and query, host, client address; never
 * headers (credentials, cookies) or bodies (keys typed into the sign-in form), and with the
 * credentials a URL carries replaced.
 */
export const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: urlWithoutCredentials(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});
