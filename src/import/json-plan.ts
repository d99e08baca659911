import { firstIJsonViolation } from '../i-json.ts';
import { validate } from './csv-plan.ts';
import { ImportError } from './import-error.ts';
import type { ParsedDocument } from './plan-document.ts';

/** Line of a character offset, for JSON.parse's "at position N". */
const lineOf = (text: string, position: number) => text.slice(0, position).split('\n').length;

/** Reads the JSON format: the document model as written in docs/import-format.md, checked against its zod schema. */
export const parseJsonPlan = (text: string): ParsedDocument => {
  let value: unknown;
  const json = text.replace(/^\uFEFF/, '');
  try {
    value = JSON.parse(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = /line (\d+)/.exec(message);
    const truncated = /end of JSON input|Unterminated/i.test(message);
    throw new ImportError(
      truncated ? 'document-truncated' : 'json-malformed',
      truncated ? 'the JSON ends before the document does: the file was cut short' : `the file is not valid JSON: ${message}`,
      line ? Number(line[1]) : position ? lineOf(text, Number(position[1])) : lineOf(text, text.length),
      422,
    );
  }
  // A document with two readings is refused as the API refuses such a body: which "text" an
  // action has must not depend on which of two a JSON reader happens to keep.
  const violation = firstIJsonViolation(json);
  if (violation)
    throw new ImportError(
      violation.kind === 'duplicate-key' ? 'json-duplicate-key' : 'json-inexact-number',
      violation.kind === 'duplicate-key'
        ? `${violation.path.replace(/^body/, 'the document')} is given twice; a member may appear once in an object`
        : `${violation.path.replace(/^body/, 'the document')}: ${violation.number.slice(0, 60)} cannot be kept exactly as a number; write it as text`,
      lineOf(json, violation.at),
      422,
    );
  return { document: validate(value), warnings: [] };
};
