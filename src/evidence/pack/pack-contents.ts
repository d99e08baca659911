import type { StoredEvent } from '../../../events/envelope.ts';
import type { EvidenceFile } from '../../../events/plan/evidence-file-attached.v1.ts';
import type { ExportBundle } from '../../integrity/export-bundle.ts';
import { londonDay } from '../../domain/calendar.ts';
import { toLedgerFact, type LedgerFact } from '../../../projections/ledger-fact.ts';
import { evolvePlanStatus } from '../../../projections/plan-status/evolve.ts';
import { planDetail } from '../../../projections/plan-status/plan-view.ts';
import { evolveTimeline, initialTimeline, type TimelineEntry } from '../../../projections/timeline/timeline.ts';
import { z } from 'zod';

/** Where an evidence file sits in the pack: named by its hash and an extension from its type, never by its uploaded name. */
const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'message/rfc822': 'eml',
};
export const packPathOf = (file: EvidenceFile) => `evidence/${file.sha256}.${EXTENSIONS[file.mediaType] ?? 'bin'}`;

export const EvidenceStatus = z.enum(['included', 'erased', 'erased-elsewhere', 'missing', 'altered']);
export type EvidenceStatus = z.infer<typeof EvidenceStatus>;

/** pack.json: what the pack holds of each evidence file, and why a file is not there. Covered by the signed SHA256SUMS. */
export const PackManifest = z
  .object({
    format: z.literal('assurance-ledger/evidence-pack/v1'),
    planId: z.string(),
    createdAt: z.string(),
    checkpoint: z.object({ treeSize: z.number(), rootHash: z.string(), issuedAt: z.string(), keyId: z.string() }).strict(),
    evidence: z.array(
      z
        .object({
          sha256: z.string(),
          size: z.number(),
          mediaType: z.string(),
          path: z.string().nullable(),
          status: EvidenceStatus,
          /** For content erased through another plan that attached the same file: when. */
          erasedAt: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type PackManifest = z.infer<typeof PackManifest>;

/** One piece of evidence as the plan recorded it: a file the ledger keeps, or a link to one kept elsewhere. */
export interface EvidenceEntry {
  eventId: string;
  target: { kind: 'action' | 'recommendation'; ref: string };
  title: string;
  file?: EvidenceFile;
  uri?: string;
  sha256?: string;
  recordedAt: string;
  effectiveOn: string;
  by: string;
}

/** The bundle's events as the views fold them: the same evolve as the service's read models, over exactly the signed events. */
export const factsOf = (bundle: ExportBundle): LedgerFact[] =>
  bundle.events.flatMap((e) => {
    const stored = { ...e.event, stream: bundle.stream, revision: BigInt(e.revision), position: BigInt(e.position), hash: e.hash };
    const fact = toLedgerFact(stored as StoredEvent);
    return fact ? [fact] : [];
  });

/**
 * What index.html shows: the plan's status on the pack's day (a retracted plan's on the London day it was retracted,
 * `statusDay`), every entry's history with both clocks, the files.
 */
export const packContents = (bundle: ExportBundle, today: string, canonical: (name: string) => string = (n) => n) => {
  const facts = factsOf(bundle);
  let doc;
  for (const fact of facts) doc = evolvePlanStatus(doc, fact);
  // A retracted plan stopped being a plan in force when it was retracted: counted on the pack's day, its open actions
  // would go on turning overdue for years after anyone was meant to act on them.
  const retractedOn = doc?.retraction ? londonDay(doc.retraction.recordedAt) : undefined;
  const statusDay = retractedOn !== undefined && retractedOn < today ? retractedOn : today;
  const timeline = initialTimeline();
  for (const fact of facts) evolveTimeline(timeline, fact, canonical);
  const evidence: EvidenceEntry[] = facts.flatMap((f): EvidenceEntry[] => {
    if (f.type !== 'EvidenceFileAttached' && f.type !== 'EvidenceLinked') return [];
    const recorded = {
      eventId: f.eventId,
      target: f.data.target,
      title: f.data.title,
      recordedAt: f.recordedAt,
      effectiveOn: f.effectiveOn.date,
      by: `${f.actor.name} (${f.actor.organisation})`,
    };
    return f.type === 'EvidenceFileAttached'
      ? [{ ...recorded, file: f.data.file }]
      : [{ ...recorded, ...(f.data.uri ? { uri: f.data.uri } : {}), ...(f.data.sha256 ? { sha256: f.data.sha256 } : {}) }];
  });
  const erasures = new Map(facts.flatMap((f) => (f.type === 'EvidenceErased' ? [[f.data.sha256, f] as const] : [])));
  return {
    detail: doc && planDetail(doc, statusDay),
    statusDay,
    // A retracted plan is in no current view, but its pack is an audit record of it: the index says it was retracted.
    retraction: doc?.retraction ?? null,
    timeline: timeline.entries as TimelineEntry[],
    evidence,
    erasures,
  };
};
export type PackContents = ReturnType<typeof packContents>;
