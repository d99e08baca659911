import { TextDecoder } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { safeParse as parseContentType } from 'fast-content-type-parse';
import secureJson from 'secure-json-parse';
import { firstIJsonViolation } from '../i-json.ts';
import { badRequest, HttpProblem } from '../api/http/problem.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const unsupportedCharset = (detail: string) =>
  new HttpProblem({ status: 415, code: 'unsupported-charset', title: 'Unsupported media type', detail });

/** Byte order marks of the encodings JSON must not arrive in (RFC 8259 §8.1: UTF-8 only), longest first. */
const foreignMarks: Array<[string, number[]]> = [
  ['UTF-32', [0x00, 0x00, 0xfe, 0xff]],
  ['UTF-32', [0xff, 0xfe, 0x00, 0x00]],
  ['UTF-16', [0xfe, 0xff]],
  ['UTF-16', [0xff, 0xfe]],
];
const UTF8_MARK = [0xef, 0xbb, 0xbf];
const startsWith = (body: Buffer, mark: number[]) => mark.every((byte, i) => body[i] === byte);

/**
 * The body's text: UTF-8, and nothing else. A charset label other than UTF-8 is 415
 * (a latin-1 "é" read as UTF-8 would be stored as something the sender never wrote); so is
 * a UTF-16 or UTF-32 byte order mark. A UTF-8 byte order mark is skipped, as RFC 8259 allows
 * a reader to. Bytes that are not UTF-8 are 400, never replaced by U+FFFD.
 */
export const decodeJsonText = (contentType: string | undefined, body: Buffer): string => {
  const charset = parseContentType(contentType ?? '').parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw unsupportedCharset(`JSON bodies are UTF-8; this one is labelled charset=${charset.slice(0, 40)}`);
  for (const [encoding, mark] of foreignMarks)
    if (startsWith(body, mark)) throw unsupportedCharset(`JSON bodies are UTF-8; this one starts with a ${encoding} byte order mark`);
  const text = startsWith(body, UTF8_MARK) ? body.subarray(UTF8_MARK.length) : body;
  try {
    return utf8.decode(text);
  } catch {
    throw badRequest('malformed-utf8', 'The request body is not valid UTF-8 text');
  }
};

/**
 * A JSON body as the ledger keeps it: refused unless it has exactly one reading. JSON.parse
 * (through secure-json-parse, which also refuses __proto__ and constructor.prototype as
 * Fastify's own parser did) checks the grammar; the I-JSON scan then refuses a member named
 * twice and a number a double would round.
 */
export const parseJsonBody = (contentType: string | undefined, body: Buffer): unknown => {
  const text = decodeJsonText(contentType, body);
  if (text.trim() === '') throw badRequest('malformed-json', 'The request body is empty; send a JSON document');
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw badRequest('malformed-json', 'The request body is not valid JSON');
  }
  const violation = firstIJsonViolation(text);
  if (violation?.kind === 'duplicate-key')
    throw badRequest('duplicate-json-key', `${violation.path} is given twice; a member may appear once in an object`);
  if (violation?.kind === 'inexact-number')
    throw badRequest(
      'inexact-number',
      `${violation.path}: ${violation.number.slice(0, 60)} cannot be kept exactly as a number (integers up to ±9007199254740991, ` +
        'decimals up to about 15 significant digits); send it as text',
    );
  return value;
};

/** Replaces Fastify's JSON parser with parseJsonBody for every application/json request. */
export const acceptJsonBodies = (app: FastifyInstance) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(request.headers['content-type'], body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
};
