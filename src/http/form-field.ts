import { badRequest, HttpProblem } from '../api/http/problem.ts';

/**
 * Keeps one text field of a multipart form. A field sent twice is refused, as a JSON member given
 * twice is (requests.md): kept as the last one, `title=Minutes&title=Draft` would record what one
 * reader of the form takes it to say and not another, and the record must say what was sent.
 */
export const keepFormField = (fields: Record<string, string>, name: string, value: string): void => {
  if (Object.hasOwn(fields, name))
    throw badRequest('duplicate-form-field', `The form field "${name}" is given twice; send each field once`);
  fields[name] = value;
};

/**
 * The same rule for a reader that must not throw (a page shows the refusal on its form): keeps the
 * field, or gives the refusal for a field already there and keeps the first value.
 */
export const formFieldGivenTwice = (fields: Record<string, string>, name: string, value: string): HttpProblem | undefined => {
  try {
    keepFormField(fields, name, value);
    return undefined;
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
};
