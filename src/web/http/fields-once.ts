import type { FastifyRequest } from 'fastify';
import type { HttpProblem } from '../../api/http/problem.ts';
import { formFieldGivenTwice } from '../../http/form-field.ts';
import { logRefusal } from '../../http/error-handler.ts';
import type { Field, FieldError } from '../forms/form-fields.ts';

/**
 * Each field of a page's form is read once, by the API's own rule for a form (`duplicate-form-field`,
 * requests.md): a name given twice is not read as its last value, nor as a list no field expects, but
 * refused, and the page says so on its form with nothing recorded. What was given first is kept, so the
 * form can be shown again as it was filled in.
 */
const givenTwice = new WeakMap<FastifyRequest, { field: string; refusal: HttpProblem }>();

/** Keeps one field of a page's form, noting the first name given twice for the page to refuse. */
export const keepPageFormField = (request: FastifyRequest, fields: Record<string, string>, name: string, value: string): void => {
  const refusal = formFieldGivenTwice(fields, name, value);
  if (refusal && !givenTwice.has(request)) givenTwice.set(request, { field: name, refusal });
};

const isUrlencoded = (request: FastifyRequest) =>
  /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '') &&
  typeof request.body === 'object' &&
  request.body !== null;

/**
 * A urlencoded form's body, as @fastify/formbody reads it (a name given twice becomes a list), made one
 * text a field. Run before the route reads it, the CSRF check included.
 */
export const keepEachFieldOnce = (request: FastifyRequest): void => {
  if (!isUrlencoded(request)) return;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.body as Record<string, unknown>))
    for (const each of Array.isArray(value) ? value : [value]) keepPageFormField(request, fields, name, String(each));
  request.body = fields;
};

/**
 * The refusal of a form that gave a field twice, logged as the API logs a refusal, with the field it
 * names: undefined when every field came once.
 */
export const fieldGivenTwice = (request: FastifyRequest): { field: string; text: string } | undefined => {
  const found = givenTwice.get(request);
  if (!found) return undefined;
  logRefusal(request, found.refusal, found.refusal.problem);
  return { field: found.field, text: found.refusal.problem.detail ?? found.refusal.problem.title };
};

/** The error on the form's own field (a date's day, month or year box on its date), else on its first field. */
export const givenTwiceOnForm = (twice: { field: string; text: string }, fields: Field[]): FieldError => {
  const own = fields.find((f) => f.name === twice.field || (f.kind === 'date' && twice.field.startsWith(`${f.name}-`)));
  return { field: (own ?? fields[0]!).name, text: twice.text };
};
