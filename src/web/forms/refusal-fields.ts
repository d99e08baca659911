import { NOT_A_DATE, type Field, type FieldError } from './form-fields.ts';

/**
 * Where a refusal of the ledger's belongs on a form, and how to say it there. The decider names
 * fields as the API does (`effectiveOn`, "after today (2026-12-03)"); a person filled in boxes
 * with labels, so a refusal about a date points at that date's boxes, in the words of its label.
 * Which of the form's fields it is about: the first of these the form has.
 */
const ABOUT: Record<string, { fields: string[]; text: (label: string) => string }> = {
  'effective-date-in-future': {
    fields: ['effectiveOn', 'correctedEffectiveOn'],
    text: (label) => `${label} must be today or earlier`,
  },
  'completion-in-future': {
    fields: ['completedOn', 'correctedEffectiveOn', 'effectiveOn'],
    text: (label) => `${label} must be today or earlier`,
  },
  'dated-before-agreement': {
    fields: ['effectiveOn', 'correctedEffectiveOn'],
    text: (label) => `${label} must not be before the action was agreed`,
  },
  'agreement-after-entries': {
    fields: ['correctedEffectiveOn', 'effectiveOn'],
    text: (label) => `${label} must not be after the dates of the action’s updates, revisions and evidence`,
  },
  'completion-before-agreement': {
    fields: ['completedOn', 'correctedEffectiveOn', 'effectiveOn'],
    text: (label) => `${label} must not be before the action was agreed`,
  },
};

/**
 * Refusals of the form as a whole, in words a person who filled it in can act on, where the API's name what a client
 * sends (a form carries its command id as the API's Idempotency-Key, so a form sent once, changed in the browser's
 * history and sent again, is refused as a key used for another request).
 */
const ABOUT_THE_FORM: Record<string, string> = {
  'idempotency-key-reused':
    'This form was sent before with different entries, and what it said then was recorded. Open the form again to record another entry',
};

/**
 * The refusal as an error on the field it is about. A correction refused as invalid names the
 * field it found wrong (`completedOn: must be a real calendar date …`): that field, if the form
 * has it. Otherwise the refusal's own text, on `fallback`.
 */
export const refusalOnField = (refusal: { code: string; text: string }, fields: Field[], fallback: string): FieldError => {
  const about = ABOUT[refusal.code];
  const field = about?.fields.map((name) => fields.find((f) => f.name === name)).find((f) => f !== undefined);
  if (about && field) return { field: field.name, text: about.text(field.label.replace(/ \(.*\)$/, '')) };
  const aboutTheForm = ABOUT_THE_FORM[refusal.code];
  if (aboutTheForm) return { field: fallback, text: aboutTheForm };
  const invisible = refusal.code === 'forbidden-character' ? invisibleCharacter(refusal.text, fields) : undefined;
  if (invisible) return invisible;
  const named = /: (\w+): /.exec(refusal.text)?.[1];
  const invalid = refusal.code === 'invalid-correction' ? fields.find((f) => f.name === named) : undefined;
  if (invalid && NOT_A_DATE.test(refusal.text))
    return { field: invalid.name, text: `${invalid.label.replace(/ \(.*\)$/, '')} must be a real date, as 2019-05-15 or 2019-05` };
  return { field: fallback, text: refusal.text };
};

/**
 * A text refused for a control character (`reportedRag.meaning holds U+000B: …`, src/domain/plan/texts.ts),
 * on the box it was typed in: the form names a box after the last part of the field's path. The
 * character cannot be seen, so the message says what it is likely to be and how to be rid of it.
 */
const invisibleCharacter = (text: string, fields: Field[]): FieldError | undefined => {
  const [, path, codePoint] = /^([\w.]+) holds (U\+[0-9A-F]+)/.exec(text) ?? [];
  const field = path
    ?.split('.')
    .reverse()
    .map((part) => fields.find((f) => f.name === part))
    .find((f) => f !== undefined);
  if (!field) return undefined;
  return {
    field: field.name,
    text:
      `${field.label.replace(/ \(.*\)$/, '')} holds an invisible character (${codePoint}), ` +
      'often brought in by pasting from another program: type that part again',
  };
};
