import { z } from 'zod';
import { BusinessDate, Due } from '../../events/business-date.ts';
import { PlanKind } from '../../events/plan/plan-registered.v1.ts';
import { Organisation, Organisations, RagLegend, Ref, Target, Text } from '../../events/plan/common.ts';

/**
 * The structured import format, and the shape every parser produces: a Word export,
 * a CSV and a JSON file all become one PlanDocument before any command is built, so
 * they share one diff against the ledger and one set of rules.
 *
 * Every fact carries `effectiveOn` (when it happened, as the document says) and an
 * optional `location` ("line 42", "row 7") that goes into the event's provenance.
 * A missing effectiveOn means the plan's `date` (the date the document speaks as of).
 */
const Location = z.string().max(200).optional();
const When = BusinessDate.optional();

export const DocumentPlan = z
  .object({
    planId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a plan id is lowercase letters, digits and hyphens'),
    title: Text.max(500),
    kind: PlanKind,
    owner: Organisation,
    governanceBody: Organisation.optional(),
    area: z.string().trim().max(200).optional(),
    description: Text.optional(),
    ragLegend: RagLegend.default([]),
    /** The date the document speaks as of: its own date, or its latest dated update. */
    date: BusinessDate,
    effectiveOn: When,
    location: Location,
  })
  .strict();

export const DocumentSection = z.object({ ref: Ref, title: Text.max(500), effectiveOn: When, location: Location }).strict();

export const DocumentRecommendation = z
  .object({
    ref: Ref,
    text: Text,
    source: z.string().trim().max(500).optional(),
    addressedTo: Organisations.default([]),
    due: Due.optional(),
    effectiveOn: When,
    location: Location,
  })
  .strict();

export const DocumentRevision = z.object({ to: Due, reason: Text, effectiveOn: When, location: Location }).strict();

export const DocumentClosure = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('completed'), completedOn: BusinessDate, summary: Text.optional(), location: Location }).strict(),
  z
    .object({
      kind: z.literal('subsumed'),
      into: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('action'), ref: Ref }).strict(),
        z.object({ kind: z.literal('programme'), name: Text.max(500) }).strict(),
      ]),
      reason: Text,
      effectiveOn: When,
      location: Location,
    })
    .strict(),
  z.object({ kind: z.literal('withdrawn'), reason: Text, effectiveOn: When, location: Location }).strict(),
]);
export type DocumentClosure = z.infer<typeof DocumentClosure>;

export const DocumentAction = z
  .object({
    ref: Ref,
    sectionRef: Ref.optional(),
    text: Text,
    recommendationRefs: z.array(Ref).max(50).default([]),
    leadOrganisations: z.array(Organisation).min(1).max(50),
    partnerOrganisations: Organisations.default([]),
    ledByWording: z.string().max(2000).optional(),
    intendedOutcomes: z.array(Text).max(50).default([]),
    /** The timescale first agreed; later ones are `revisions`, in order. */
    due: Due,
    revisions: z.array(DocumentRevision).max(50).default([]),
    relatedActionRefs: z.array(Ref).max(50).default([]),
    closure: DocumentClosure.optional(),
    effectiveOn: When,
    location: Location,
  })
  .strict();

export const DocumentUpdate = z
  .object({
    target: Target,
    narrative: Text,
    effectiveOn: When,
    reportedRag: z
      .object({ rating: z.string().trim().min(1).max(40), meaning: z.string().max(2000).optional() })
      .strict()
      .optional(),
    location: Location,
  })
  .strict();

export const GlossaryEntry = z.object({ term: Text.max(300), definition: Text, location: Location }).strict();
export const DocumentOrganisation = z.object({ name: Organisation, aliases: z.array(Organisation).max(50).default([]) }).strict();

export const PlanDocument = z
  .object({
    format: z.literal('assurance-ledger-plan').default('assurance-ledger-plan'),
    version: z.literal(1).default(1),
    plan: DocumentPlan,
    sections: z.array(DocumentSection).default([]),
    recommendations: z.array(DocumentRecommendation).default([]),
    actions: z.array(DocumentAction).default([]),
    /** In the order they happened for each target: earliest first. */
    updates: z.array(DocumentUpdate).default([]),
    glossary: z.array(GlossaryEntry).default([]),
    /** Organisations the document names, with the other names it uses for them; they feed the alias table. */
    organisations: z.array(DocumentOrganisation).default([]),
  })
  .strict();

export type PlanDocument = z.infer<typeof PlanDocument>;
export type DocumentAction = z.infer<typeof DocumentAction>;
export type DocumentUpdate = z.infer<typeof DocumentUpdate>;
export type DocumentRecommendation = z.infer<typeof DocumentRecommendation>;
export type DocumentRevision = z.infer<typeof DocumentRevision>;

/** Something in the source that was not imported as written, with where it is. Never silent. */
export interface ImportWarning {
  code: string;
  /** 1-based line in the source (text and CSV files), when known. */
  line?: number | undefined;
  /** Where it is in the original: "line 42", "table 2, row 3, cell 4", `sheet "Actions", cell C5`. */
  location?: string | undefined;
  message: string;
}

/** Where the facts of a Word, Excel or text plan were read from, cell by cell, for the preview. */
export interface DocumentSources {
  /** The cells the plan itself was read from: its title, date and RAG legend. */
  plan: string[];
  /** Every cell each action's row was read from, by the action's ref. */
  actions: Map<string, string[]>;
  /** Each header cell, and what the importer took its column to be. */
  headers: { place: string; label: string; role: string }[];
}

export interface ParsedDocument {
  document: PlanDocument;
  warnings: ImportWarning[];
  sources?: DocumentSources | undefined;
}
