import type { z } from 'zod';
import type { PlanCommand } from '../../domain/plan/commands.ts';
import { CompletionBody, DeadlineRevisionBody } from '../../domain/plan/actions/http/action-routes.ts';
import { EvidenceBody, ProgressUpdateBody } from '../../domain/plan/progress/http/progress-routes.ts';
import type { Field, FieldError } from './form-fields.ts';

/**
 * The forms on an action. Each names the API's own request schema and builds the same
 * command the API's route builds from it, so the decider answers a form exactly as it
 * answers the API.
 */
export interface ActionForm {
  slug: string;
  title: string;
  /** What the success banner calls it. */
  noun: string;
  /** Who the page offers it to; the decider and the command's authorisation still decide. */
  roles: readonly ('contributor' | 'plan-manager')[];
  /** Whether the ledger takes it for an action that is completed, subsumed or withdrawn (evidence only). */
  onClosed: boolean;
  fields: Field[];
  /** What the fields say together that the body could not carry (checked before the body is built). */
  check?: (values: Record<string, string | undefined>) => FieldError[];
  /** Field text (dates already joined) → the API's request body. */
  body: (values: Record<string, string | undefined>) => Record<string, unknown>;
  schema: z.ZodType<Record<string, unknown>>;
  command: (ref: string, data: Record<string, unknown>) => PlanCommand;
}

const happenedOn: Field = {
  kind: 'date',
  name: 'effectiveOn',
  label: 'When it happened',
  hint: 'As the document or meeting dates it. Leave the day empty if only the month is known; leave it all empty for today.',
  optional: true,
  dayOptional: true,
};

const withoutEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const actionForms: ActionForm[] = [
  {
    slug: 'progress-update',
    title: 'Record a progress update',
    noun: 'progress update',
    roles: ['contributor', 'plan-manager'],
    onClosed: false,
    fields: [
      {
        kind: 'textarea',
        name: 'narrative',
        label: 'Update',
        hint: 'What was done, as you would write it in the plan.',
        missing: 'Enter what was done',
      },
      {
        kind: 'text',
        name: 'rating',
        label: 'Reported RAG rating',
        hint: "As your organisation reports it, in this plan's own legend (for example Green).",
        optional: true,
        width: 10,
      },
      { kind: 'text', name: 'meaning', label: 'What that rating means', hint: 'Leave empty to use the plan’s legend.', optional: true },
      happenedOn,
    ],
    // A meaning without its rating has nowhere to go in the body: dropped, the person's words would be lost unsaid.
    check: (v) => (v.meaning && !v.rating ? [{ field: 'rating', text: 'Enter the rating that meaning is for, or leave both empty' }] : []),
    body: (v) =>
      withoutEmpty({
        narrative: v.narrative,
        reportedRag: v.rating ? withoutEmpty({ rating: v.rating, meaning: v.meaning }) : undefined,
        effectiveOn: v.effectiveOn,
      }),
    schema: ProgressUpdateBody as z.ZodType<Record<string, unknown>>,
    command: (ref, data) => ({ type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref }, ...data } }) as PlanCommand,
  },
  {
    slug: 'evidence',
    title: 'Link evidence',
    noun: 'evidence link',
    roles: ['contributor', 'plan-manager'],
    onClosed: true,
    fields: [
      {
        kind: 'text',
        name: 'title',
        label: 'Title',
        hint: 'What the evidence is, for example "Board minutes, 12 March 2018".',
        missing: 'Enter a title for the evidence',
      },
      { kind: 'text', name: 'uri', label: 'Link', hint: 'Where it can be read. Give a link, a SHA-256, or both.', optional: true },
      {
        kind: 'text',
        name: 'sha256',
        label: 'SHA-256 of the file',
        hint: '64 hexadecimal characters, for a file kept elsewhere.',
        optional: true,
      },
      happenedOn,
    ],
    body: (v) => withoutEmpty({ title: v.title, uri: v.uri, sha256: v.sha256?.toLowerCase(), effectiveOn: v.effectiveOn }),
    schema: EvidenceBody as unknown as z.ZodType<Record<string, unknown>>,
    command: (ref, data) => ({ type: 'LinkEvidence', data: { target: { kind: 'action', ref }, ...data } }) as PlanCommand,
  },
  {
    slug: 'deadline-revision',
    title: 'Revise the deadline',
    noun: 'deadline revision',
    roles: ['plan-manager'],
    onClosed: false,
    fields: [
      {
        kind: 'date',
        name: 'to',
        label: 'New deadline',
        hint: 'Leave the day empty for a month, as in "March 2018".',
        dayOptional: true,
        missing: 'Enter the new deadline',
      },
      {
        kind: 'textarea',
        name: 'reason',
        label: 'Reason',
        hint: 'Why the deadline moved. The first deadline is kept, and every revision is shown with its reason.',
        missing: 'Enter why the deadline moved',
      },
      {
        kind: 'text',
        name: 'agreedBy',
        label: 'Agreed by',
        hint: 'The body that agreed the new date, if the record says.',
        optional: true,
      },
      happenedOn,
    ],
    body: (v) =>
      withoutEmpty({
        to: v.to === undefined ? undefined : { kind: 'date', date: v.to },
        reason: v.reason,
        agreedBy: v.agreedBy,
        effectiveOn: v.effectiveOn,
      }),
    schema: DeadlineRevisionBody as z.ZodType<Record<string, unknown>>,
    command: (ref, data) => ({ type: 'ReviseDeadline', data: { ref, ...data } }) as PlanCommand,
  },
  {
    slug: 'completion',
    title: 'Record completion',
    noun: 'completion',
    roles: ['plan-manager'],
    onClosed: false,
    fields: [
      {
        kind: 'date',
        name: 'completedOn',
        label: 'Completed on',
        hint: 'Leave the day empty if only the month is known.',
        missing: 'Enter the date the action was completed',
        dayOptional: true,
      },
      {
        kind: 'textarea',
        name: 'summary',
        label: 'Summary',
        hint: 'What was delivered. Link the evidence separately: completed is not the same as assured.',
        optional: true,
      },
    ],
    body: (v) => withoutEmpty({ completedOn: v.completedOn, summary: v.summary }),
    schema: CompletionBody as z.ZodType<Record<string, unknown>>,
    command: (ref, data) => ({ type: 'CompleteAction', data: { ref, ...data } }) as PlanCommand,
  },
];
