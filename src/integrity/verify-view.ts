import type { KeyObject } from 'node:crypto';
import { checkpointSignatureValid } from './checkpoint.ts';
import { endorsementPath } from './key-endorsement.ts';
import { keyIdOf, publicKeyFromPem } from './signing-key.ts';
import type { IntegrityFailure } from './verify-report.ts';
import { SignedView, viewSignatureValid } from './view-signature.ts';

export interface ViewReport {
  ok: boolean;
  /** False when no key was supplied and the file's own key was used: anyone can make a key and sign a view with it. */
  keyPinned: boolean;
  /** The key that signed, once the file parsed. */
  keyId?: string;
  /** The id of the key supplied (pinned), once it was read. */
  pinnedKeyId?: string;
  /** When the pinned key is not the one that signed: the keys from it to the signer, each endorsed by the one before. */
  endorsedThrough?: string[];
  /** The view as read, once it parsed. */
  view?: SignedView;
  failure?: IntegrityFailure;
}

const AS_SIGNED = { file: 'view', made: 'view' };

/**
 * Checks a signed view with no server and no database: the key (pinned, or through the key
 * history to the one that signed), the checkpoint's signature, the view's signature over the
 * canonical JSON of the whole envelope, and that the checkpoint's tree holds the view's
 * position. It does not check the answer against a ledger: `ledger verify-view -d` reads it
 * again (src/cli/view-reread.ts).
 */
export const verifySignedView = (input: unknown, options: { trustedPublicKeyPem?: string } = {}): ViewReport => {
  const report: ViewReport = { ok: false, keyPinned: options.trustedPublicKeyPem !== undefined };
  const fail = (failure: IntegrityFailure): ViewReport => ({ ...report, ok: false, failure });
  const parsed = SignedView.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({ kind: 'malformed-view', message: `not a signed view: ${issue?.path.join('.') || '(top)'}: ${issue?.message}` });
  }
  const view = parsed.data;
  report.view = view;
  const { checkpoint, signature } = view;
  let pinned: KeyObject | undefined;
  let fileKey: KeyObject;
  try {
    pinned = options.trustedPublicKeyPem === undefined ? undefined : publicKeyFromPem(options.trustedPublicKeyPem);
    fileKey = publicKeyFromPem(view.publicKey.pem);
  } catch (error) {
    return fail({ kind: 'malformed-view', message: `unreadable public key: ${(error as Error).message}` });
  }
  const pinnedId = pinned && keyIdOf(pinned);
  if (pinnedId !== undefined) report.pinnedKeyId = pinnedId;
  // The pinned key checks the signatures when it is the one that signed; otherwise the file's key does, and the pinned
  // one must vouch for it.
  const publicKey = pinned && pinnedId === checkpoint.keyId ? pinned : fileKey;
  const keyId = keyIdOf(publicKey);
  report.keyId = keyId;
  if (keyId !== view.publicKey.keyId || keyId !== checkpoint.keyId || keyId !== signature.keyId)
    return fail({
      kind: 'untrusted-key',
      message:
        `the view names key ${view.publicKey.keyId} (checkpoint: ${checkpoint.keyId}, signature: ${signature.keyId}) but the key ` +
        `used is ${keyId}: the view and its checkpoint are signed by one key`,
      expected: keyId,
      found: signature.keyId,
    });
  if (pinnedId !== undefined && pinnedId !== keyId) {
    const path = endorsementPath(view.keyHistory, pinnedId, keyId, AS_SIGNED);
    if (path.failure) return fail(path.failure);
    report.endorsedThrough = path.keys;
  }
  if (!checkpointSignatureValid(checkpoint, publicKey))
    return fail({
      kind: 'checkpoint-signature-invalid',
      checkpointTreeSize: checkpoint.treeSize,
      message: `checkpoint ${checkpoint.treeSize} is not signed by key ${keyId}: it was changed, or it is not this key's`,
    });
  // Over the file's own JSON, not the parsed copy: what was signed is what was written.
  if (!viewSignatureValid(input as Record<string, unknown>, signature, publicKey))
    return fail({
      kind: 'view-signature-invalid',
      message:
        `the view's signature by key ${keyId} does not hold over its content: something in it (the answer, its clocks, its ` +
        'position or any other field) was changed after it was signed',
    });
  if (!(BigInt(view.position) < BigInt(checkpoint.treeSize)))
    return fail({
      kind: 'view-beyond-checkpoint',
      position: view.position,
      checkpointTreeSize: checkpoint.treeSize,
      message: `the view includes position ${view.position}, which the checkpoint's ${checkpoint.treeSize}-event tree does not hold`,
      expected: `< ${checkpoint.treeSize}`,
      found: view.position,
    });
  return { ...report, ok: true };
};
