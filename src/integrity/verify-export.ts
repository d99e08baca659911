import type { KeyObject } from 'node:crypto';
import { checkpointSignatureValid } from './checkpoint.ts';
import { GENESIS_HASH, referenceEventHash } from './event-hash.ts';
import { ExportBundle, type ExportedEvent } from './export-bundle.ts';
import { fromHex, verifyInclusion } from './merkle.ts';
import { keyIdOf, publicKeyFromPem } from './signing-key.ts';
import type { IntegrityFailure, VerifyReport } from './verify-report.ts';

export interface VerifyExportOptions {
  /** The ledger's public key as the auditor obtained it (PEM). Without it, the key in the file is used and reported. */
  trustedPublicKeyPem?: string;
}

const fail = (report: VerifyReport, failure: IntegrityFailure): VerifyReport => ({ ...report, ok: false, failure });

/**
 * Checks an export with no server and no database, using the reference canonicaliser
 * (the `canonicalize` library) rather than the store's fast path: the signature on the
 * checkpoint, every event's hash and its link to the one before, revisions 0..n without a
 * gap, and each event's inclusion proof against the signed root.
 */
export const verifyExport = (input: unknown, options: VerifyExportOptions = {}): VerifyReport & { keyId?: string } => {
  const report: VerifyReport = { ok: false, eventsChecked: 0, streamsChecked: 0, checkpointsChecked: 0, treeSize: 0 };
  const parsed = ExportBundle.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(report, { kind: 'malformed-export', message: `not an export bundle: ${issue?.path.join('.')}: ${issue?.message}` });
  }
  const bundle = parsed.data;
  const { checkpoint, stream } = bundle;
  report.treeSize = checkpoint.treeSize;
  report.rootHash = checkpoint.rootHash;
  let publicKey: KeyObject;
  try {
    publicKey = publicKeyFromPem(options.trustedPublicKeyPem ?? bundle.publicKey.pem);
  } catch (error) {
    return fail(report, { kind: 'malformed-export', message: `unreadable public key: ${(error as Error).message}` });
  }
  const keyId = keyIdOf(publicKey);
  if (keyId !== bundle.publicKey.keyId || keyId !== checkpoint.keyId) {
    return { ...fail(report, { kind: 'untrusted-key', message: `the export names key ${bundle.publicKey.keyId} (checkpoint: ${checkpoint.keyId}) but the key used is ${keyId}`, expected: keyId, found: checkpoint.keyId }), keyId };
  }
  if (!checkpointSignatureValid(checkpoint, publicKey)) {
    return { ...fail(report, { kind: 'checkpoint-signature-invalid', checkpointTreeSize: checkpoint.treeSize, message: `checkpoint ${checkpoint.treeSize} is not signed by key ${keyId}` }), keyId };
  }
  report.checkpointsChecked = 1;
  const root = fromHex(checkpoint.rootHash);
  let previous: ExportedEvent | undefined;
  for (const [i, exported] of bundle.events.entries()) {
    const at = { stream, revision: exported.revision, position: exported.position };
    const failure = checkEvent(exported, i, previous, stream, checkpoint.treeSize, root);
    if (failure) return { ...fail(report, { ...at, ...failure }), keyId };
    report.eventsChecked++;
    previous = exported;
  }
  if (previous && previous.revision !== bundle.streamRevision) {
    return { ...fail(report, { kind: 'revision-gap', stream, message: `the export says the plan ends at revision ${bundle.streamRevision} but its last event is revision ${previous.revision}`, expected: bundle.streamRevision, found: previous.revision }), keyId };
  }
  report.streamsChecked = 1;
  return { ...report, ok: true, keyId };
};

type EventFailure = Omit<IntegrityFailure, 'stream' | 'revision' | 'position'>;

const checkEvent = (
  e: ExportedEvent,
  index: number,
  previous: ExportedEvent | undefined,
  stream: string,
  treeSize: number,
  root: Buffer,
): EventFailure | undefined => {
  if (e.revision !== String(index)) {
    return { kind: 'revision-gap', message: `event ${index} of the export is revision ${e.revision}: revisions must run 0, 1, 2 … without a gap, so an event is missing or out of order`, expected: String(index), found: e.revision };
  }
  const expectedPrevious = previous?.hash ?? GENESIS_HASH;
  if (e.previousHash !== expectedPrevious) {
    return { kind: 'chain-broken', message: `revision ${e.revision} does not link to the event before it`, expected: expectedPrevious, found: e.previousHash };
  }
  const hash = referenceEventHash(e.event, { stream, revision: BigInt(e.revision), previousHash: e.previousHash });
  if (hash !== e.hash) {
    return { kind: 'event-hash-mismatch', message: `revision ${e.revision} does not hash to its recorded hash: its content was changed`, expected: e.hash, found: hash };
  }
  const position = Number(e.position);
  if (!(position < treeSize) || (previous && !(position > Number(previous.position)))) {
    return { kind: 'not-in-checkpoint', message: `position ${e.position} is not a later leaf of the checkpoint's ${treeSize}-event tree`, expected: `< ${treeSize}`, found: e.position };
  }
  const included = verifyInclusion({ leafIndex: position, treeSize, eventHash: fromHex(e.hash), proof: e.inclusionProof.map(fromHex), root });
  if (!included) {
    return { kind: 'inclusion-proof-invalid', message: `the inclusion proof for position ${e.position} does not lead to the signed root`, expected: root.toString('hex') };
  }
  return undefined;
};
