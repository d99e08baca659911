import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asAppended } from '../../../events/envelope.ts';
import { signCheckpoint } from '../../../src/integrity/checkpoint.ts';
import { loadSigningKey } from '../../../src/integrity/signing-key.ts';
import { TreeIndex } from '../../../src/integrity/tree-index.ts';
import { collect } from '../../support/collect.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';
import type { IntegrityContractContext, LedgerPorts } from './contract.ts';

const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const { key } = loadSigningKey({ pem, dataDir: '' });

/** Signs the tree as it stands, as the ledger's checkpoint signer does. */
const signNow = async ({ integrity }: LedgerPorts) => {
  const tree = new TreeIndex(integrity, integrity.merkleNodes);
  const size = await tree.catchUp();
  const checkpoint = signCheckpoint(
    key,
    { treeSize: size, rootHash: tree.root(size).toString('hex'), issuedAt: new Date().toISOString() },
    await integrity.checkpoints.latest(),
  );
  expect(await integrity.checkpoints.append(checkpoint)).toBe(true);
};

/** One append per source command, in ledger order, each with its original ids, times, exact revision and fingerprint. */
const copyEvents = async (source: LedgerPorts, target: LedgerPorts) => {
  const all = await collect(source.events.readAll());
  for (let i = 0; i < all.length;) {
    const first = all[i]!;
    let end = i + 1;
    while (end < all.length && all[end]!.commandId === first.commandId) end++;
    const original = (await source.events.findCommand(first.commandId))!;
    await target.events.append({
      stream: first.stream,
      events: all.slice(i, end).map(asAppended),
      expectedRevision: first.revision === 0n ? 'noStream' : first.revision - 1n,
      commandId: first.commandId,
      requestFingerprint: original.requestFingerprint,
    });
    i = end;
  }
  return all;
};

export const copyContract = ({ ports, another }: IntegrityContractContext): void => {
  describe('what a copy between ledgers needs of the ports', () => {
    it('carries every event, command result and signed checkpoint over unchanged: same positions, hashes, heads and roots', async () => {
      const source = ports();
      const streams = ['plan-x', 'plan-y'].map((s) => uniqueId(s));
      for (let round = 0; round < 3; round++) {
        for (const stream of streams) {
          const commandId = uniqueId('c');
          await source.events.append({
            stream,
            events: makeEvents(round + 1, commandId),
            expectedRevision: 'any',
            commandId,
            requestFingerprint: `fingerprint-of-${commandId}`,
          });
        }
        await signNow(source);
      }

      const target = await another();
      const copied = await copyEvents(source, target);
      for (const checkpoint of await source.integrity.checkpoints.all()) await target.integrity.checkpoints.insert(checkpoint);

      expect(await collect(target.events.readAll())).toEqual(copied);
      expect(await collect(target.integrity.streamHeads())).toEqual(await collect(source.integrity.streamHeads()));
      for (const commandId of new Set(copied.map((e) => e.commandId))) {
        expect(await target.events.findCommand(commandId)).toEqual(await source.events.findCommand(commandId));
      }
      const checkpoints = await target.integrity.checkpoints.all();
      expect(checkpoints).toEqual(await source.integrity.checkpoints.all());
      expect(checkpoints.map((c) => c.treeSize)).toEqual([2, 6, 12]);
      const tree = new TreeIndex(target.integrity, target.integrity.merkleNodes);
      await tree.catchUp();
      for (const c of checkpoints) expect(tree.root(c.treeSize).toString('hex')).toBe(c.rootHash);
    });
  });
};
