import type { KeyObject } from 'node:crypto';
import { EvidenceFile } from '../../../events/plan/evidence-file-attached.v1.ts';
import type { ExportBundle } from '../../integrity/export-bundle.ts';
import { publicKeyFromPem } from '../../integrity/signing-key.ts';
import { verifyExport, type ExportReport } from '../../integrity/verify-export.ts';
import { packPathOf, PackManifest } from './pack-contents.ts';
import { PackSignature, packSignatureValid, parseSums, SIGNATURE_FILE, SUMS_FILE } from './pack-signature.ts';
import { readZip, type ZipRead } from './read-zip.ts';

export type PackFailureKind =
  | 'not-a-pack' // not a readable zip, or a part every pack has is missing or malformed
  | 'export-invalid' // export.json fails verify-export's checks
  | 'pack-signature-invalid' // SHA256SUMS is not what the ledger signed for this plan and checkpoint
  | 'file-changed' // a file does not hash to its line in SHA256SUMS (an edited index.html, a replaced file)
  | 'file-removed' // a file SHA256SUMS lists is not in the zip
  | 'file-not-covered' // a file in the zip that SHA256SUMS does not list: added after the ledger signed
  | 'duplicate-entry' // the same name twice in the zip
  | 'evidence-not-as-recorded' // an evidence file the events record is not in the pack with its recorded hash and size
  | 'evidence-absent'; // the ledger's store had lost or altered the file when the pack was made

export interface PackFailure {
  kind: PackFailureKind;
  message: string;
  path?: string;
  sha256?: string;
  eventId?: string;
}

export interface PackReport {
  ok: boolean;
  keyPinned: boolean;
  keyId?: string;
  planId?: string;
  export?: ExportReport;
  /** Files of the zip hashed against SHA256SUMS. */
  filesChecked: number;
  evidence: { recorded: number; included: number; erased: number };
  failures: PackFailure[];
}

const KEPT = new Set(['export.json', 'pack.json', SUMS_FILE, SIGNATURE_FILE]);

const parseJson = (zip: ZipRead, name: string): unknown => {
  const bytes = zip.entries.get(name)?.bytes;
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Checks an evidence pack offline: export.json as verify-export does; the ledger's signature
 * over SHA256SUMS (for this plan and this checkpoint); every file of the zip against its line
 * there, and no file outside it; and every evidence file an event records in the pack with
 * exactly the recorded hash and size, or accounted for as erased. Names every failure.
 */
export const verifyPack = async (file: string, options: { trustedPublicKeyPem?: string } = {}): Promise<PackReport> => {
  const keyPinned = options.trustedPublicKeyPem !== undefined;
  const report: PackReport = { ok: false, keyPinned, filesChecked: 0, evidence: { recorded: 0, included: 0, erased: 0 }, failures: [] };
  const fail = (failure: PackFailure) => report.failures.push(failure);
  let zip: ZipRead;
  try {
    zip = await readZip(file, (name) => KEPT.has(name));
  } catch (error) {
    fail({ kind: 'not-a-pack', message: `${file} cannot be read as a zip file: ${(error as Error).message}` });
    return report;
  }
  for (const name of zip.duplicates) fail({ kind: 'duplicate-entry', path: name, message: `${name} appears more than once in the zip` });

  const exportJson = parseJson(zip, 'export.json');
  const exportReport = verifyExport(exportJson, options);
  report.export = exportReport;
  if (exportReport.keyId) report.keyId = exportReport.keyId;
  if (exportReport.planId) report.planId = exportReport.planId;
  if (!exportReport.ok) {
    const f = exportReport.failure!;
    fail({ kind: 'export-invalid', path: 'export.json', message: `export.json: ${f.kind}: ${f.message}` });
    return report;
  }
  const bundle = exportJson as ExportBundle;
  // The key the export was checked with: the pinned one when it signed, else the bundle's, which the pinned key
  // endorsed through the key history (or, unpinned, the only one there is).
  const signerPem =
    options.trustedPublicKeyPem !== undefined && exportReport.pinnedKeyId === exportReport.keyId
      ? options.trustedPublicKeyPem
      : bundle.publicKey.pem;
  const publicKey: KeyObject = publicKeyFromPem(signerPem);

  const signature = PackSignature.safeParse(parseJson(zip, SIGNATURE_FILE));
  const sumsEntry = zip.entries.get(SUMS_FILE);
  const sums = sumsEntry?.bytes && parseSums(sumsEntry.bytes.toString('utf8'));
  if (!signature.success || !sumsEntry || !sums) {
    fail({ kind: 'not-a-pack', message: `${SIGNATURE_FILE} or ${SUMS_FILE} is missing or malformed: nothing but export.json is covered` });
    return report;
  }
  const s = signature.data;
  const claims: Array<[string, string, string]> = [
    ['key', s.keyId, exportReport.keyId!],
    ['plan', s.planId, bundle.planId],
    ['checkpoint', String(s.treeSize), String(bundle.checkpoint.treeSize)],
    [`hash of ${SUMS_FILE}`, s.sumsSha256, sumsEntry.sha256],
  ];
  const wrong = claims.find(([, signed, found]) => signed !== found);
  if (wrong) {
    const [what, signed, found] = wrong;
    fail({ kind: 'pack-signature-invalid', message: `the ledger signed the pack's ${what} as ${signed}, but it is ${found}` });
  } else if (!packSignatureValid(s, publicKey)) {
    fail({ kind: 'pack-signature-invalid', message: `${SIGNATURE_FILE} is not a signature of key ${exportReport.keyId}` });
  }

  const listed = new Map(sums.map((line) => [line.path, line.sha256]));
  for (const [path, sha256] of listed) {
    const entry = zip.entries.get(path);
    if (!entry) fail({ kind: 'file-removed', path, message: `${path} is listed in ${SUMS_FILE} but is not in the zip` });
    else if (entry.sha256 !== sha256) {
      const why = path === 'index.html' ? ': the page was edited after the ledger made the pack, so it is not what the ledger signed' : '';
      fail({ kind: 'file-changed', path, sha256: entry.sha256, message: `${path} does not match its SHA-256 in ${SUMS_FILE}${why}` });
    } else report.filesChecked++;
  }
  for (const path of zip.entries.keys())
    if (!listed.has(path) && path !== SUMS_FILE && path !== SIGNATURE_FILE)
      fail({ kind: 'file-not-covered', path, message: `${path} is not covered by the ledger's signature: it was added to the pack` });

  const manifest = PackManifest.safeParse(parseJson(zip, 'pack.json'));
  if (!manifest.success || manifest.data.planId !== bundle.planId || manifest.data.checkpoint.treeSize !== bundle.checkpoint.treeSize) {
    fail({ kind: 'not-a-pack', path: 'pack.json', message: 'pack.json is missing, malformed, or about another plan or checkpoint' });
    return { ...report, ok: false };
  }
  checkEvidence(bundle, manifest.data, zip, report, fail);
  return { ...report, ok: report.failures.length === 0 };
};

/** Every file an event of the signed export attaches: in the pack as recorded, or accounted for as erased. */
const checkEvidence = (bundle: ExportBundle, manifest: PackManifest, zip: ZipRead, report: PackReport, fail: (f: PackFailure) => void) => {
  const erasedHere = new Set(
    bundle.events.flatMap((e) => (e.event['type'] === 'EvidenceErased' ? [String(dataOf(e.event)['sha256'])] : [])),
  );
  const held = new Map(manifest.evidence.map((e) => [e.sha256, e]));
  const seen = new Set<string>();
  for (const exported of bundle.events) {
    if (exported.event['type'] !== 'EvidenceFileAttached') continue;
    const parsed = EvidenceFile.safeParse(dataOf(exported.event)['file']);
    const eventId = String(exported.event['eventId']);
    if (!parsed.success || seen.has(parsed.data.sha256)) continue;
    const file = parsed.data;
    seen.add(file.sha256);
    report.evidence.recorded++;
    const entry = held.get(file.sha256);
    const named = { sha256: file.sha256, eventId };
    if (erasedHere.has(file.sha256) || entry?.status === 'erased-elsewhere') {
      report.evidence.erased++;
      continue;
    }
    if (entry?.status === 'missing' || entry?.status === 'altered') {
      fail({
        kind: 'evidence-absent',
        ...named,
        message:
          `evidence file ${file.sha256} (event ${eventId}) is not in the pack: the ledger's store had ` +
          `${entry.status === 'missing' ? 'lost' : 'altered'} it`,
      });
      continue;
    }
    const path = packPathOf(file);
    const inZip = zip.entries.get(path);
    if (!inZip || inZip.sha256 !== file.sha256 || inZip.size !== file.size) {
      fail({
        kind: 'evidence-not-as-recorded',
        ...named,
        path,
        message: inZip
          ? `${path} is not the file event ${eventId} recorded (SHA-256 ${inZip.sha256}, ${inZip.size} bytes)`
          : `${path}, the file event ${eventId} recorded, is not in the pack`,
      });
    } else report.evidence.included++;
  }
};

const dataOf = (event: Record<string, unknown>): Record<string, unknown> => (event['data'] ?? {}) as Record<string, unknown>;
