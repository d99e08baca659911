import type { KeyObject } from 'node:crypto';
import { checkpointSignatureValid } from './checkpoint.ts';
import { GENESIS_HASH, referenceEventHash } from './event-hash.ts';
import { ExportBundle, type ExportedEvent } from './export-bundle.ts';
import { fromHex, verifyInclusion } from './merkle.ts';
import { planHeadSignatureValid } from './plan-head.ts';
import { keyIdOf, publicKeyFromPem } from './signing-key.ts';
import { endorsementPath } from './key-endorsement.ts';
import type { IntegrityFailure, VerifyReport } from './verify-report.ts';
import { planStream } from '../../events/streams.ts';

export interface VerifyExportOptions {
  /** The ledger's public key as the auditor obtained it (PEM). Without it, the key in the file is used and reported. */
  trustedPublicKeyPem?: string;
}

export interface ExportReport extends VerifyReport {
  /** The key that signed, by id, and the plan the bundle is for (once it parsed). */
  keyId?: string;
  planId?: string;
  /**
   * False when no key was supplied and the bundle's own key was used: then the checks show
   * only that whoever holds that key vouches for the bundle, which anyone can make a key for.
   */
  keyPinned: boolean;
  /** The id of the key supplied (pinned), once it was read. */
  pinnedKeyId?: string;
  /** When the pinned key is not the one that signed: the keys from it to the signer, each endorsed by the one before. */
  endorsedThrough?: string[];
}

const fail = (report: ExportReport, failure: IntegrityFailure): ExportReport => ({ ...report, ok: false, failure });

/**
 * Checks an export with no server and no database, using the reference canonicaliser
 * (the `canonicalize` library) rather than the store's fast path: the signature on the
 * checkpoint, that every event is the named plan's, every event's hash and its link to the
 * one before, revisions 0..n without a gap, each event's inclusion proof against the signed
 * root, and the signed plan head against the last event.
 */
export const verifyExport = (input: unknown, options: VerifyExportOptions = {}): ExportReport => {
  const keyPinned = options.trustedPublicKeyPem !== undefined;
  const report: ExportReport = { ok: false, eventsChecked: 0, streamsChecked: 0, checkpointsChecked: 0, treeSize: 0, keyPinned };
  const parsed = ExportBundle.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(report, { kind: 'malformed-export', message: `not an export bundle: ${issue?.path.join('.')}: ${issue?.message}` });
  }
  const bundle = parsed.data;
  const { checkpoint, stream, planId } = bundle;
  report.planId = planId;
  report.treeSize = checkpoint.treeSize;
  report.rootHash = checkpoint.rootHash;
  let pinned: KeyObject | undefined;
  let bundleKey: KeyObject;
  try {
    pinned = options.trustedPublicKeyPem === undefined ? undefined : publicKeyFromPem(options.trustedPublicKeyPem);
    bundleKey = publicKeyFromPem(bundle.publicKey.pem);
  } catch (error) {
    return fail(report, { kind: 'malformed-export', message: `unreadable public key: ${(error as Error).message}` });
  }
  const pinnedId = pinned && keyIdOf(pinned);
  if (pinnedId !== undefined) report.pinnedKeyId = pinnedId;
  // The pinned key checks the signatures when it is the one that signed; otherwise the bundle's key does, and the pinned one
  // must vouch for it.
  const publicKey = pinned && pinnedId === checkpoint.keyId ? pinned : bundleKey;
  const keyId = keyIdOf(publicKey);
  if (keyId !== bundle.publicKey.keyId || keyId !== checkpoint.keyId) {
    return {
      ...fail(report, {
        kind: 'untrusted-key',
        message: `the export names key ${bundle.publicKey.keyId} (checkpoint: ${checkpoint.keyId}) but the key used is ${keyId}`,
        expected: keyId,
        found: checkpoint.keyId,
      }),
      keyId,
    };
  }
  if (pinnedId !== undefined && pinnedId !== keyId) {
    const path = endorsementPath(bundle.keyHistory ?? [], pinnedId, keyId);
    if (path.failure) return { ...fail(report, path.failure), keyId };
    report.endorsedThrough = path.keys;
  }
  if (!checkpointSignatureValid(checkpoint, publicKey)) {
    return {
      ...fail(report, {
        kind: 'checkpoint-signature-invalid',
        checkpointTreeSize: checkpoint.treeSize,
        message: `checkpoint ${checkpoint.treeSize} is not signed by key ${keyId}`,
      }),
      keyId,
    };
  }
  report.checkpointsChecked = 1;
  // The hashes bind each event to `stream`; the plan id the reader sees must be that stream's.
  if (stream !== planStream(planId)) {
    return {
      ...fail(report, {
        kind: 'wrong-plan',
        stream,
        message: `the export says plan ${planId}, whose stream is ${planStream(planId)}, but its events are stream ${stream}'s`,
        expected: planStream(planId),
        found: stream,
      }),
      keyId,
    };
  }
  const root = fromHex(checkpoint.rootHash);
  let previous: ExportedEvent | undefined;
  for (const [i, exported] of bundle.events.entries()) {
    const at = { stream, revision: exported.revision, position: exported.position };
    const failure = checkEvent(exported, i, previous, stream, checkpoint.treeSize, root) ?? checkPlanId(exported, planId);
    if (failure) return { ...fail(report, { ...at, ...failure }), keyId };
    report.eventsChecked++;
    previous = exported;
  }
  if (previous && previous.revision !== bundle.streamRevision) {
    return {
      ...fail(report, {
        kind: 'revision-gap',
        stream,
        message: `the export says the plan ends at revision ${bundle.streamRevision} but its last event is revision ${previous.revision}`,
        expected: bundle.streamRevision,
        found: previous.revision,
      }),
      keyId,
    };
  }
  const headFailure = checkPlanHead(bundle, previous!, publicKey, keyId);
  if (headFailure) return { ...fail(report, { stream, ...headFailure }), keyId };
  report.streamsChecked = 1;
  return { ...report, ok: true, keyId };
};

type EventFailure = Omit<IntegrityFailure, 'stream' | 'revision' | 'position'>;

/** An event whose data names a plan must name this one (the stream's name alone is checked above). */
const checkPlanId = (e: ExportedEvent, planId: string): EventFailure | undefined => {
  const data = e.event['data'];
  const named = typeof data === 'object' && data !== null && 'planId' in data ? (data as { planId: unknown }).planId : undefined;
  if (named === undefined || named === planId) return undefined;
  return {
    kind: 'wrong-plan',
    message: `revision ${e.revision} is an event of plan ${String(named)}, not of plan ${planId}`,
    expected: planId,
    found: String(named),
  };
};

/** The ledger's signed word on where the plan ended must be this bundle's last event. */
const checkPlanHead = (
  bundle: ExportBundle,
  last: ExportedEvent,
  publicKey: KeyObject,
  keyId: string,
): Omit<IntegrityFailure, 'stream'> | undefined => {
  const head = bundle.planHead;
  if (head.keyId !== keyId || !planHeadSignatureValid(head, publicKey)) {
    return { kind: 'plan-head-invalid', message: `the plan head (key ${head.keyId}) is not signed by key ${keyId}`, found: head.signature };
  }
  const claims: Array<[string, string, string]> = [
    ['plan', head.planId, bundle.planId],
    ['stream', head.stream, bundle.stream],
    ['tree size', String(head.treeSize), String(bundle.checkpoint.treeSize)],
    ['last revision', head.lastRevision, last.revision],
    ['last event hash', head.lastEventHash, last.hash],
  ];
  for (const [what, signed, found] of claims) {
    if (signed !== found) {
      return {
        kind: 'plan-head-invalid',
        revision: last.revision,
        message:
          `the ledger signed that the plan's ${what} is ${signed}, but the export's is ${found}: events were ` +
          `removed from the end of the plan, or the bundle was put together from parts`,
        expected: signed,
        found,
      };
    }
  }
  return undefined;
};

const checkEvent = (
  e: ExportedEvent,
  index: number,
  previous: ExportedEvent | undefined,
  stream: string,
  treeSize: number,
  root: Buffer,
): EventFailure | undefined => {
  if (e.revision !== String(index)) {
    return {
      kind: 'revision-gap',
      message:
        `event ${index} of the export is revision ${e.revision}: revisions must run 0, 1, 2 … without a gap, so ` +
        `an event is missing or out of order`,
      expected: String(index),
      found: e.revision,
    };
  }
  const expectedPrevious = previous?.hash ?? GENESIS_HASH;
  if (e.previousHash !== expectedPrevious) {
    return {
      kind: 'chain-broken',
      message: `revision ${e.revision} does not link to the event before it`,
      expected: expectedPrevious,
      found: e.previousHash,
    };
  }
  const hash = referenceEventHash(e.event, { stream, revision: BigInt(e.revision), previousHash: e.previousHash });
  if (hash !== e.hash) {
    return {
      kind: 'event-hash-mismatch',
      message: `revision ${e.revision} does not hash to its recorded hash: its content was changed`,
      expected: e.hash,
      found: hash,
    };
  }
  const position = Number(e.position);
  if (!(position < treeSize) || (previous && !(position > Number(previous.position)))) {
    return {
      kind: 'not-in-checkpoint',
      message: `position ${e.position} is not a later leaf of the checkpoint's ${treeSize}-event tree`,
      expected: `< ${treeSize}`,
      found: e.position,
    };
  }
  const included = verifyInclusion({
    leafIndex: position,
    treeSize,
    eventHash: fromHex(e.hash),
    proof: e.inclusionProof.map(fromHex),
    root,
  });
  if (!included) {
    return {
      kind: 'inclusion-proof-invalid',
      message: `the inclusion proof for position ${e.position} does not lead to the signed root`,
      expected: root.toString('hex'),
    };
  }
  return undefined;
};
