import type { LedgerFact } from '../ledger-fact.ts';
import type { DocumentProjection } from '../runner/projection.ts';

/**
 * Every evidence file the ledger knows, by sha256, across all plans: which events attach it
 * and which erase it. Content is stored once however many plans attach it, so whether it may
 * be kept, served or swept is a question about all of them: an erasure anywhere erases it.
 */
export interface EvidenceFileDoc {
  sha256: string;
  /** Ledger position of the last event applied: an event at or below it is a replay. */
  position: number;
  attachments: { planId: string; eventId: string; recordedAt: string }[];
  erasures: { planId: string; eventId: string; recordedAt: string }[];
}

const evolveEvidenceFile = (doc: EvidenceFileDoc | undefined, fact: LedgerFact): EvidenceFileDoc | undefined => {
  if (fact.type !== 'EvidenceFileAttached' && fact.type !== 'EvidenceErased') return doc;
  const sha256 = fact.type === 'EvidenceFileAttached' ? fact.data.file.sha256 : fact.data.sha256;
  const next = doc ?? { sha256, position: -1, attachments: [], erasures: [] };
  const position = Number(fact.position);
  if (position <= next.position) return next;
  next.position = position;
  const entry = { planId: fact.planId, eventId: fact.eventId, recordedAt: fact.recordedAt };
  if (fact.type === 'EvidenceFileAttached') next.attachments.push(entry);
  else next.erasures.push(entry);
  return next;
};

export const evidenceFilesProjection: DocumentProjection<EvidenceFileDoc> = {
  name: 'evidence-files',
  version: 1,
  keyOf: (fact) =>
    fact.type === 'EvidenceFileAttached' ? fact.data.file.sha256 : fact.type === 'EvidenceErased' ? fact.data.sha256 : undefined,
  evolve: evolveEvidenceFile,
  acrossStreams: { types: ['EvidenceFileAttached', 'EvidenceErased'] },
};

/** What the service asks of the evidence-files read model. */
export interface EvidenceFileIndex {
  /** Attached somewhere and erased nowhere: the blob must stay. */
  isLive(sha256: string): boolean;
  /** Erased by some plan: its content is not served, kept or accepted again. */
  erasureOf(sha256: string): { planId: string; eventId: string; recordedAt: string } | undefined;
  /** Every plan that attached this content, once each, the first to attach it first: an erasure removes it from all of them. */
  plansHolding(sha256: string): string[];
}

export const evidenceFileIndex = (load: (sha256: string) => string | undefined): EvidenceFileIndex => {
  const doc = (sha256: string) => {
    const json = load(sha256);
    return json === undefined ? undefined : (JSON.parse(json) as EvidenceFileDoc);
  };
  return {
    isLive: (sha256) => {
      const d = doc(sha256);
      return d !== undefined && d.attachments.length > 0 && d.erasures.length === 0;
    },
    erasureOf: (sha256) => doc(sha256)?.erasures[0],
    plansHolding: (sha256) => [...new Set(doc(sha256)?.attachments.map((a) => a.planId) ?? [])],
  };
};
