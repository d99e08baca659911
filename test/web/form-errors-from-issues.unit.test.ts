import { describe, expect, it } from 'vitest';
import { errorsFromIssues, type Field } from '../../src/web/forms/form-fields.ts';

const fields: Field[] = [
  { kind: 'text', name: 'title', label: 'Title' },
  { kind: 'text', name: 'uri', label: 'Link', optional: true },
];

describe("a schema's findings as a form's errors", () => {
  it("keeps a finding on the whole form beside one on the first box, in the form's order, one error a box", () => {
    const errors = errorsFromIssues(
      [
        { path: ['uri'], message: 'Invalid URL' },
        { path: ['uri'], message: 'an evidence uri is an https:// address' },
        { path: [], message: 'evidence needs a uri, a sha256 of the document, or both' },
        { path: ['title'], message: 'must not be empty' },
      ],
      fields,
    );
    expect(errors).toEqual([
      { field: 'title', text: 'Title: must not be empty. Title: evidence needs a uri, a sha256 of the document, or both' },
      { field: 'uri', text: 'Link: an evidence uri is an https:// address' },
    ]);
  });
});
