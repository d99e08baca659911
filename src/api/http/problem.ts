import type { FastifyReply } from 'fastify';

/**
 * RFC 9457 problem details. `code` is stable and machine-readable; `type` is a URI
 * naming the same problem, so clients can branch on either without parsing prose.
 */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  /** Field-level findings for validation failures: where, and what is wrong there. */
  errors?: { location: string; message: string }[];
  [extension: string]: unknown;
}

export const problemType = (code: string) => `https://assurance-ledger.dev/problems/${code}`;

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export const sendProblem = (reply: FastifyReply, problem: Problem, instance?: string) =>
  reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ type: problemType(problem.code), ...problem, ...(instance ? { instance } : {}) });

export const badRequest = (code: string, detail: string, errors?: Problem['errors']) =>
  new HttpProblem({ status: 400, code, title: 'Bad request', detail, ...(errors ? { errors } : {}) });
