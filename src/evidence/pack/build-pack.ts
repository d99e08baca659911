import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { BlobStore } from '../../blobs/port.ts';
import { londonDay } from '../../domain/calendar.ts';
import type { LedgerIntegrity } from '../../integrity/ledger-integrity.ts';
import { renderIndexHtml } from './index-html.ts';
import { packContents, packPathOf, type PackManifest } from './pack-contents.ts';
import { PackSignature, packSignatureText, SIGNATURE_FILE, SUMS_FILE, sumsText } from './pack-signature.ts';
import { verifyText } from './verify-text.ts';

export interface EvidencePackDeps {
  ledger: Pick<LedgerIntegrity, 'exportPlan' | 'signStatement'>;
  blobs: BlobStore;
  /** An erasure of this content through any plan (content is kept once, so an erasure anywhere removes it). */
  erasureOf: (sha256: string) => Promise<{ recordedAt: string } | undefined>;
  now?: () => Date;
  /** The organisation names as the ledger's alias table canonicalises them (as the timelines show them). */
  canonical?: (name: string) => string;
}

/** A pack ready to stream: everything small is built and hashed, the evidence files are read as the zip is written. */
export interface PreparedPack {
  planId: string;
  fileName: string;
  manifest: PackManifest;
  /** The zip, produced as it is read: the evidence files are never all in memory. */
  stream(): Readable;
}

const sha256Of = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Reads a stored blob whole, hashing it: 'included' when it is the recorded file, 'altered' when not, 'missing' when absent. */
const storedState = async (blobs: BlobStore, file: { sha256: string; size: number }): Promise<'included' | 'missing' | 'altered'> => {
  const stream = await blobs.open(file.sha256);
  if (!stream) return 'missing';
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return hash.digest('hex') === file.sha256 && size === file.size ? 'included' : 'altered';
};

/** A plan's pack's name: what a download and `ledger evidence-pack` call it. */
export const packFileName = (planId: string) => `evidence-pack-${planId}.zip`;

/**
 * Builds an inquiry's evidence pack of one plan: its export bundle (export.json, against a
 * signed checkpoint), every evidence file its events attach (each read and checked against its
 * recorded hash first, so the pack says exactly what it could not include and why), a
 * printable index.html, pack.json, VERIFY.txt, and SHA256SUMS of all of them signed by the
 * ledger. Throws UnknownPlan (and what exportPlan throws) before anything is streamed.
 */
export const prepareEvidencePack = async (deps: EvidencePackDeps, planId: string): Promise<PreparedPack> => {
  const now = (deps.now ?? (() => new Date()))();
  const bundle = await deps.ledger.exportPlan(planId);
  const contents = packContents(bundle, londonDay(now), deps.canonical);
  const files = new Map(contents.evidence.flatMap((e) => (e.file ? [[e.file.sha256, e.file] as const] : [])));
  const evidence: PackManifest['evidence'] = [];
  for (const file of files.values()) {
    const base = { sha256: file.sha256, size: file.size, mediaType: file.mediaType };
    const erasedHere = contents.erasures.get(file.sha256);
    const erasedElsewhere = erasedHere ? undefined : await deps.erasureOf(file.sha256);
    if (erasedHere) evidence.push({ ...base, path: null, status: 'erased' });
    else if (erasedElsewhere) evidence.push({ ...base, path: null, status: 'erased-elsewhere', erasedAt: erasedElsewhere.recordedAt });
    else {
      const status = await storedState(deps.blobs, file);
      evidence.push({ ...base, path: status === 'included' ? packPathOf(file) : null, status });
    }
  }
  const { checkpoint } = bundle;
  const manifest: PackManifest = {
    format: 'assurance-ledger/evidence-pack/v1',
    planId,
    createdAt: now.toISOString(),
    checkpoint: { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, issuedAt: checkpoint.issuedAt, keyId: checkpoint.keyId },
    evidence,
  };
  const small: { path: string; bytes: Buffer }[] = [
    {
      path: 'index.html',
      bytes: Buffer.from(renderIndexHtml({ contents, manifest, checkpoint, createdAt: manifest.createdAt, today: londonDay(now) })),
    },
    { path: 'VERIFY.txt', bytes: Buffer.from(verifyText(manifest)) },
    { path: 'export.json', bytes: Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`) },
    { path: 'pack.json', bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
  ];
  const included = evidence.filter((e) => e.status === 'included');
  const sums = sumsText([
    ...small.map((f) => ({ path: f.path, sha256: sha256Of(f.bytes) })),
    ...included.map((e) => ({ path: e.path!, sha256: e.sha256 })),
  ]);
  const fields = { keyId: checkpoint.keyId, planId, treeSize: checkpoint.treeSize, sumsSha256: sha256Of(sums) };
  const signed = deps.ledger.signStatement(packSignatureText(fields));
  const signature: PackSignature = { format: 'assurance-ledger/evidence-pack-signature/v1', ...fields, signature: signed.signature };
  return {
    planId,
    fileName: packFileName(planId),
    manifest,
    stream: () => {
      const zip = new yazl.ZipFile();
      const mtime = now;
      for (const f of small) zip.addBuffer(f.bytes, f.path, { mtime });
      zip.addBuffer(Buffer.from(sums), SUMS_FILE, { mtime });
      zip.addBuffer(Buffer.from(`${JSON.stringify(signature, null, 2)}\n`), SIGNATURE_FILE, { mtime });
      // Opened one at a time as the zip reaches them; already-compressed formats are stored as they are.
      for (const e of included)
        zip.addReadStreamLazy(e.path!, { mtime, size: e.size, compress: e.mediaType.startsWith('text/') }, (done) => {
          deps.blobs.open(e.sha256).then(
            (stream) => (stream ? done(null, stream) : done(new Error(`evidence file ${e.sha256} left the store while packing`), null!)),
            (error: unknown) => done(error, null!),
          );
        });
      // yazl raises a file that cannot be read (gone from the store, or not the size recorded) on the zip
      // itself, where nothing listens: that would end the process. On the stream, it ends this pack alone.
      const output = zip.outputStream as Readable;
      zip.on('error', (error: Error) => output.destroy(error));
      zip.end();
      return output;
    },
  };
};
