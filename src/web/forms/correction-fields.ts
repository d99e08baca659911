import { z } from 'zod';
import type { Field, FieldError, Values } from './form-fields.ts';

/**
 * The fields of an entry a person may correct on the correction form, and how the form's text
 * stands for their values. Identity fields (refs, targets) never change; which fields and dates
 * a correction may change is the decider's to say, so this only offers what an entry has.
 */

/** Words and dates held as text. */
const TEXTS: Record<string, string> = {
  text: 'Text',
  narrative: 'Update',
  reason: 'Reason given',
  title: 'Title',
  uri: 'Link',
  summary: 'Summary',
  agreedBy: 'Agreed by',
  completedOn: 'Completed on (YYYY-MM or YYYY-MM-DD)',
  response: 'Response',
  respondent: 'Respondent',
  assuredBy: 'Assured by',
  rationale: 'Rationale',
};

/** Deadlines: an agreement's and a revision's new one, offered where they are a date (day or month). */
const DEADLINES: Record<string, string> = { due: 'Deadline', to: 'New deadline' };

export const isCorrectable = (name: string): boolean => name in TEXTS || name in DEADLINES;

const datedDeadline = (value: unknown): string | undefined => {
  const due = value as { kind?: unknown; date?: unknown } | undefined;
  return due?.kind === 'date' && typeof due.date === 'string' ? due.date : undefined;
};

/**
 * A correctable field's value as the form's text: a deadline as its date, line breaks as the form
 * reads them back (LF; a text sent through the API may hold CRLF). Undefined where the entry has none to offer.
 */
const asText = (name: string, value: unknown): string | undefined =>
  name in DEADLINES ? datedDeadline(value) : typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : undefined;

/** The correctable fields the entry has, as form fields. */
export const correctableFields = (data: Record<string, unknown>): Field[] => [
  ...Object.entries(DEADLINES)
    .filter(([name]) => asText(name, data[name]) !== undefined)
    .map(([name, label]): Field => ({
      kind: 'date',
      name,
      label,
      hint: 'Only if it was recorded wrongly. Leave the day empty for a month.',
      optional: true,
      dayOptional: true,
    })),
  ...Object.entries(TEXTS)
    .filter(([name]) => typeof data[name] === 'string')
    .map(([name, label]): Field => ({
      kind: name === 'text' || name === 'narrative' ? 'textarea' : 'text',
      name,
      label,
      optional: true,
      ...(name === 'completedOn' && { hint: 'When it was really completed: the completion counts from this date on the business clock.' }),
    })),
];

/** The entry's correctable values as text, by field: what the form opens with, and what it is sent back beside. */
export const standingValues = (fields: Field[], data: Record<string, unknown>): Values =>
  Object.fromEntries(
    fields.flatMap((f) => {
      const text = isCorrectable(f.name) ? asText(f.name, data[f.name]) : undefined;
      return text === undefined ? [] : [[f.name, text]];
    }),
  );

/** The form's boxes for those values: a date's day, month and year apart. */
export const boxesOf = (fields: Field[], standing: Values): Values =>
  Object.fromEntries(
    fields.flatMap((f) => {
      const text = standing[f.name];
      if (text === undefined) return [];
      if (f.kind !== 'date') return [[f.name, text]];
      const [year, month, day] = text.split('-');
      return [
        [`${f.name}-day`, day ?? ''],
        [`${f.name}-month`, String(Number(month))],
        [`${f.name}-year`, year ?? ''],
      ];
    }),
  );

/** The boxes a person filled in for these fields, as they sent them. */
export const sentBoxes = (fields: Field[], values: Values): Values =>
  Object.fromEntries(
    fields.flatMap((f) =>
      (f.kind === 'date' ? [`${f.name}-day`, `${f.name}-month`, `${f.name}-year`] : [f.name]).map((box) => [box, values[box] ?? '']),
    ),
  );

/** Every value sent but the correctable fields' boxes. */
export const withoutCorrectable = (fields: Field[], values: Values): Values => {
  const boxes = new Set(
    Object.keys(
      sentBoxes(
        fields.filter((f) => isCorrectable(f.name)),
        values,
      ),
    ),
  );
  return Object.fromEntries(Object.entries(values).filter(([name]) => !boxes.has(name)));
};

/** A field's corrected value from its text: a deadline is a date deadline (its old wording named the old date). */
export const correctedValue = (name: string, text: string): unknown => (name in DEADLINES ? { kind: 'date', date: text } : text);

/** The values a form opened with, sent back with it; undefined if they are missing or not a map of texts. */
const Opened = z.record(z.string(), z.string());
export const openedValues = (sent: string | undefined): Values | undefined => {
  if (sent === undefined) return undefined;
  try {
    const parsed = Opened.safeParse(JSON.parse(sent));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The correctable boxes the form opened holding a value and that came back empty, each as an error at its box. A box
 * not sent at all (a client posting only what it changes) is left as it was, not emptied.
 */
export const emptiedFields = (fields: Field[], sent: Values, read: Record<string, string | undefined>, opened: Values): FieldError[] =>
  fields
    .filter((f) => isCorrectable(f.name) && read[f.name] === undefined && (opened[f.name] ?? '').trim() !== '')
    .filter((f) => Object.keys(sentBoxes([f], {})).some((box) => box in sent))
    .map((f) => ({
      field: f.name,
      text:
        `${f.label.replace(/ \(.*\)$/, '')} cannot be left empty: a correction gives what it should say instead. ` +
        'Type that, or put back what was there',
    }));
