import { createHash } from 'node:crypto';
import { planIdOfStream } from '../../events/streams.ts';
import type { BlobStore } from '../blobs/port.ts';
import type { EventStore } from '../store/port.ts';

export type EvidenceFailureKind =
  | 'evidence-file-missing' // an event references a file the store does not hold, and no erasure explains it
  | 'evidence-file-altered' // the stored bytes are not the recorded file's (another hash or size)
  | 'erased-evidence-present'; // content the ledger erased is still in the store

export interface EvidenceFailure {
  kind: EvidenceFailureKind;
  sha256: string;
  /** The plan and event that first reference (or erased) the file. */
  planId: string;
  eventId: string;
  message: string;
  expected?: string;
  found?: string;
}

export interface EvidenceVerifyReport {
  ok: boolean;
  /** Distinct files the ledger's events reference. */
  filesReferenced: number;
  /** Files read whole and hashed. */
  filesChecked: number;
  /** Referenced files whose content the ledger erased: reported as erased, not missing. */
  erased: { sha256: string; planId: string; eventId: string; recordedAt: string }[];
  /** Stored files no event references: left by an interrupted upload, removed by the next sweep after the grace period. */
  unreferenced: number;
  failures: EvidenceFailure[];
}

interface Reference {
  planId: string;
  eventId: string;
  size: number;
}

const hashOf = async (blobs: BlobStore, sha256: string): Promise<{ hash: string; size: number } | undefined> => {
  const stream = await blobs.open(sha256);
  if (!stream) return undefined;
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), size };
};

/**
 * Every evidence file the ledger references, checked against the blob store: present, and
 * its bytes hashing to the recorded sha256 at the recorded size; a file whose content an
 * EvidenceErased removed is reported as erased (and must be gone). Reads the events through
 * the event-store port, so it runs on any backend; names every failure, not just the first.
 */
export const verifyEvidenceFiles = async (
  events: Pick<EventStore, 'readAll'>,
  blobs: BlobStore,
  onProgress?: (checked: number, total: number) => void,
): Promise<EvidenceVerifyReport> => {
  const referenced = new Map<string, Reference>();
  const erasures = new Map<string, { planId: string; eventId: string; recordedAt: string }>();
  for await (const event of events.readAll()) {
    const planId = planIdOfStream(event.stream);
    if (planId === undefined) continue;
    if (event.type === 'EvidenceFileAttached') {
      const file = event.data.file as { sha256: string; size: number };
      if (!referenced.has(file.sha256)) referenced.set(file.sha256, { planId, eventId: event.eventId, size: file.size });
    } else if (event.type === 'EvidenceErased') {
      const sha256 = event.data.sha256 as string;
      if (!erasures.has(sha256)) erasures.set(sha256, { planId, eventId: event.eventId, recordedAt: event.recordedAt });
    }
  }
  const report: EvidenceVerifyReport = {
    ok: true,
    filesReferenced: referenced.size,
    filesChecked: 0,
    erased: [],
    unreferenced: 0,
    failures: [],
  };
  const fail = (failure: EvidenceFailure) => {
    report.ok = false;
    report.failures.push(failure);
  };
  let done = 0;
  for (const [sha256, ref] of referenced) {
    onProgress?.(done++, referenced.size);
    const erasure = erasures.get(sha256);
    if (erasure) {
      report.erased.push({ sha256, ...erasure });
      if (await blobs.stat(sha256))
        fail({
          kind: 'erased-evidence-present',
          sha256,
          ...erasure,
          message: `evidence file ${sha256} was erased but is still in the store`,
        });
      continue;
    }
    const stored = await hashOf(blobs, sha256);
    if (!stored) {
      fail({
        kind: 'evidence-file-missing',
        sha256,
        ...ref,
        message: `evidence file ${sha256} (plan ${ref.planId}) is missing from the store`,
      });
      continue;
    }
    report.filesChecked++;
    if (stored.hash !== sha256 || stored.size !== ref.size)
      fail({
        kind: 'evidence-file-altered',
        sha256,
        ...ref,
        message: `evidence file ${sha256} (plan ${ref.planId}) was altered in the store`,
        expected: `sha256 ${sha256}, ${ref.size} bytes`,
        found: `sha256 ${stored.hash}, ${stored.size} bytes`,
      });
  }
  onProgress?.(done, referenced.size);
  for await (const blob of blobs.list()) if (!referenced.has(blob.sha256)) report.unreferenced++;
  return report;
};

/** The lines `ledger verify` prints for the evidence files. */
export const evidenceReportLines = (report: EvidenceVerifyReport): string[] => [
  `evidence files:      ${report.filesReferenced} referenced, ${report.filesChecked} checked, ${report.erased.length} erased` +
    (report.unreferenced ? `, ${report.unreferenced} unreferenced (removed by the next sweep once past the grace period)` : ''),
  ...report.erased.map((e) => `  erased: ${e.sha256} (plan ${e.planId}, event ${e.eventId}, ${e.recordedAt})`),
  ...report.failures.flatMap((f) => [
    `FAILED (${f.kind}): ${f.message}`,
    `  plan       ${f.planId}`,
    `  event      ${f.eventId}`,
    ...(f.expected ? [`  expected   ${f.expected}`] : []),
    ...(f.found ? [`  found      ${f.found}`] : []),
  ]),
];
