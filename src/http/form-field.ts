import { badRequest } from '../api/http/problem.ts';

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
