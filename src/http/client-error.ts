import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { problemType, type Problem } from '../api/http/problem.ts';

/** Node's HTTP parser errors (llhttp's HPE_* codes and the server's timeouts), as stable problem codes. */
const problemFor = (code: string | undefined, headerLimit: number): Problem => {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'headers-too-large',
        title: 'Request header fields too large',
        detail: `The request line and headers together may be at most ${headerLimit} bytes`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { status: 408, code: 'request-timeout', title: 'Request timeout', detail: 'The request did not arrive in time' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'invalid-content-length',
        title: 'Bad request',
        detail: 'Content-Length must be one whole number, given once',
      };
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return {
        status: 400,
        code: 'invalid-transfer-encoding',
        title: 'Bad request',
        detail: 'Transfer-Encoding must be chunked, with well-formed chunks, and never beside Content-Length',
      };
    case 'HPE_INVALID_EOF_STATE':
      return {
        status: 400,
        code: 'incomplete-request',
        title: 'Bad request',
        detail: 'The connection ended before the request did: the body is shorter than its Content-Length',
      };
    default:
      return {
        status: 400,
        code: 'malformed-http',
        title: 'Bad request',
        detail: `The request is not well-formed HTTP/1.1${code?.startsWith('HPE_') ? ` (${code})` : ''}`,
      };
  }
};

/**
 * Requests Node's HTTP parser refuses never reach Fastify's handlers: the server writes the
 * answer straight to the socket. This writes it as problem details like every other error,
 * then closes the connection (the parser cannot tell where the next request would start).
 */
export const answerClientError = (headerLimit: number) =>
  function (this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const problem = problemFor(error.code, headerLimit);
    this.log.info({ code: problem.code, parserCode: error.code }, 'request refused by the HTTP parser');
    if (socket.writable) {
      const body = JSON.stringify({ type: problemType(problem.code), ...problem });
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
          'Content-Type: application/problem+json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(error);
  };
