/**
 * What a form's fields are and how their text becomes a request body: the body is then
 * checked by the API's own schema, and the command by the API's own decider, so a form has
 * no rule of its own. Only the shape of the answer differs: errors point at fields.
 */
/** `missing`: what to say when a required field is left empty, where "Enter" and the label would not read as an instruction. */
type Common = { name: string; label: string; hint?: string; optional?: boolean; missing?: string };
export type Field =
  | (Common & { kind: 'text' | 'textarea'; width?: 10 | 20 | 30 })
  | (Common & { kind: 'date'; dayOptional?: boolean })
  | (Common & { kind: 'radios'; options: { value: string; text: string }[] });

/** The message for a required field left empty: "Enter the date the action was completed", not "Enter completed on". */
const missingText = (field: Field) => field.missing ?? `Enter ${field.label.toLowerCase()}`;

export interface FieldError {
  /** The field's name; the page links a date's error to its day box. */
  field: string;
  text: string;
}

export type Values = Record<string, string>;

/** A field's text as it is meant: browsers send a text area's line breaks as CRLF, the ledger keeps LF. */
const trimmed = (values: Values, name: string) => (values[name] ?? '').replace(/\r\n?/g, '\n').trim();

/** Day, month and year boxes as a business date: a month when the day is left empty and the field allows it. */
export const readDate = (field: Extract<Field, { kind: 'date' }>, values: Values): { date?: string; error?: FieldError } => {
  const [day, month, year] = ['day', 'month', 'year'].map((p) => trimmed(values, `${field.name}-${p}`));
  if (!day && !month && !year) return field.optional ? {} : { error: { field: field.name, text: missingText(field) } };
  if (!/^\d{4}$/.test(year!) || !/^\d{1,2}$/.test(month!) || Number(month) < 1 || Number(month) > 12)
    return { error: { field: field.name, text: `${field.label} must be a real date, with a month and a four-digit year` } };
  const yyyymm = `${year}-${month!.padStart(2, '0')}`;
  if (!day) return field.dayOptional ? { date: yyyymm } : { error: { field: field.name, text: `${field.label} must include a day` } };
  if (!/^\d{1,2}$/.test(day)) return { error: { field: field.name, text: `${field.label} must be a real date` } };
  return { date: `${yyyymm}-${day.padStart(2, '0')}` };
};

/** The text of each field as the body's values: empty optional fields are left out, dates joined. */
export const readFields = (fields: Field[], values: Values): { values: Record<string, string | undefined>; errors: FieldError[] } => {
  const out: Record<string, string | undefined> = {};
  const errors: FieldError[] = [];
  for (const field of fields) {
    if (field.kind === 'date') {
      const { date, error } = readDate(field, values);
      if (error) errors.push(error);
      out[field.name] = date;
      continue;
    }
    const value = trimmed(values, field.name);
    if (!value && !field.optional) errors.push({ field: field.name, text: missingText(field) });
    out[field.name] = value || undefined;
  }
  return { values: out, errors };
};

/** The API schema's words for "not a date", which a form says in the words of the field's label. */
export const NOT_A_DATE = /must be a real calendar date as YYYY-MM-DD(, or a month as YYYY-MM)?/;

/** A schema's "not a date" on a date's boxes, in the words of its label. */
const dateFieldText = (field: Field, text: string): string =>
  field.kind === 'date' && NOT_A_DATE.test(text) ? `${field.label} must be a real date` : text;

/**
 * Where a schema finding belongs: the field it names, else the form as a whole (its first field). One error a field, as
 * the box shows one: the schema's last word on the field, its own rule ("an evidence uri is an https:// …") after zod's
 * generic check ("Invalid URL"); a finding on the form as a whole is added to its first field's, not put in its place.
 */
export const errorsFromIssues = (
  issues: { path: PropertyKey[]; message: string }[],
  fields: Field[],
  label = (f: Field) => f.label,
): FieldError[] => {
  const byField = new Map<string, FieldError>();
  const wholeForm: string[] = [];
  for (const issue of issues) {
    const top = String(issue.path[0] ?? '');
    const field = fields.find((f) => f.name === top || (top === 'to' && f.name === 'to'));
    if (!field) wholeForm.push(issue.message);
    else byField.set(field.name, { field: field.name, text: dateFieldText(field, `${label(field)}: ${issue.message}`) });
  }
  if (wholeForm.length > 0) {
    const first = fields[0]!;
    const text = dateFieldText(first, `${label(first)}: ${wholeForm.join('; ')}`);
    const own = byField.get(first.name);
    byField.set(first.name, { field: first.name, text: own ? `${own.text}. ${text}` : text });
  }
  // In the form's order, as the error summary lists them.
  return fields.flatMap((f) => byField.get(f.name) ?? []);
};
