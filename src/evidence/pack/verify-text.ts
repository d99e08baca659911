import type { PackManifest } from './pack-contents.ts';

/** VERIFY.txt: how anyone checks the pack, with the ledger's tool or by hand. */
export const verifyText = (manifest: PackManifest): string => {
  const missing = manifest.evidence.filter((e) => e.status === 'missing' || e.status === 'altered').length;
  const erased = manifest.evidence.filter((e) => e.status === 'erased' || e.status === 'erased-elsewhere').length;
  const included = manifest.evidence.length - missing - erased;
  const counts =
    `${manifest.evidence.length} evidence file(s) recorded: ${included} included, ${erased} erased, ` +
    `${missing} missing or altered in the ledger's store.`;
  return `How to check this evidence pack
==============================

Plan ${manifest.planId}, made ${manifest.createdAt} against the ledger's signed checkpoint
${manifest.checkpoint.treeSize} (root ${manifest.checkpoint.rootHash}, key ${manifest.checkpoint.keyId}).

What is in it
-------------
index.html           a printable reading of the plan: status, deadlines, each action's history, the evidence
export.json          the plan's events as the ledger signed them: every event with its hash chain and its
                     inclusion proof in the signed checkpoint, and the ledger's signed plan head
evidence/            the evidence files, each named by its SHA-256 (file names are in index.html)
pack.json            what the pack holds of each file the events record, and why one is not there
SHA256SUMS           the SHA-256 of every file above
SHA256SUMS.sig.json  the ledger's Ed25519 signature over the hash of SHA256SUMS, the plan and the checkpoint

${counts}

Check it with the ledger's tool (no server, no database, no network)
--------------------------------------------------------------------
  ledger verify-pack evidence-pack-${manifest.planId}.zip --public-key ledger-public-key.pem

Get the public key from the ledger's operator or GET /ledger/public-key.pem, not from this pack.
Exit code 0: everything holds against the key you gave. 3: everything holds, but only against the
key inside the pack (anyone can make a key: pin the real one). 1: a check failed, and the output
names what (an edited index.html, a replaced or added file, a file that is not the one recorded).

What it checks: the export's signature, hash chain, inclusion proofs and plan head (as
ledger verify-export does); the signature on SHA256SUMS; that every file in the zip is listed
there and hashes to its line; and that every evidence file an event records is in the pack with
exactly the recorded SHA-256, or is accounted for as erased.

By hand
-------
  unzip evidence-pack-${manifest.planId}.zip && sha256sum -c SHA256SUMS
  ledger verify-export export.json --public-key ledger-public-key.pem
then compare each evidence file's name (its hash) with the "sha256" of an EvidenceFileAttached
event in export.json. The signature's text is five lines, each ending in a newline:
"assurance-ledger evidence-pack v1", the key id, the plan id, the checkpoint's tree size, and the
SHA-256 of SHA256SUMS (docs/evidence.md).

An erased file's content was removed by an EvidenceErased event (who, when and why are in
export.json); its hash stays in the ledger, so no other content can take its place.
`;
};
