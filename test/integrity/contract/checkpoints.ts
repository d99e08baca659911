import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointSignatureValid, checkpointText, signCheckpoint, type Checkpoint } from '../../../src/integrity/checkpoint.ts';
import { signText } from '../../../src/integrity/signed-text.ts';
import { loadSigningKey } from '../../../src/integrity/signing-key.ts';
import type { IntegrityContractContext } from './contract.ts';

const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const { key } = loadSigningKey({ pem, dataDir: '' });
/** A signed checkpoint of any size: the port keeps what it is given and judges nothing. */
const checkpointOf = (treeSize: number, root = 'a', after?: Checkpoint): Checkpoint =>
  signCheckpoint(
    key,
    { treeSize, rootHash: root.repeat(64).slice(0, 64), issuedAt: new Date(Date.UTC(2026, 0, treeSize)).toISOString() },
    after,
  );

export const checkpointContract = ({ ports, reopen }: IntegrityContractContext): void => {
  describe('signed checkpoints', () => {
    it('an empty ledger has none', async () => {
      const { checkpoints } = ports().integrity;
      expect(await checkpoints.all()).toEqual([]);
      expect(await checkpoints.latest()).toBeUndefined();
      expect(await checkpoints.covering(1n)).toBeUndefined();
      expect(await checkpoints.page(0n, 10)).toEqual([]);
    });

    it('keeps each exactly as given, lists them smallest tree first, pages, and finds the latest and the one covering a size', async () => {
      const { checkpoints } = ports().integrity;
      const [five, two, nine] = [checkpointOf(5), checkpointOf(2), checkpointOf(9)];
      for (const c of [five, two, nine]) expect(await checkpoints.insert(c)).toBe(true);
      expect(await checkpoints.all()).toEqual([two, five, nine]);
      expect(await checkpoints.page(0n, 2)).toEqual([two, five]);
      expect(await checkpoints.page(2n, 1)).toEqual([five]);
      expect(await checkpoints.page(9n, 10)).toEqual([]);
      expect(await checkpoints.latest()).toEqual(nine);
      expect(await checkpoints.covering(1n)).toEqual(two);
      expect(await checkpoints.covering(3n)).toEqual(five);
      expect(await checkpoints.covering(5n)).toEqual(five);
      expect(await checkpoints.covering(10n)).toBeUndefined();
    });

    it('keeps one per tree size: the first stored stands, a second of that size is refused', async () => {
      const { checkpoints } = ports().integrity;
      const first = checkpointOf(4, 'b');
      expect(await checkpoints.insert(first)).toBe(true);
      expect(await checkpoints.insert(checkpointOf(4, 'c'))).toBe(false);
      expect(await checkpoints.insert(first)).toBe(false);
      expect(await checkpoints.all()).toEqual([first]);
    });

    it('appends a checkpoint only after the one it names as its predecessor: one series, however many sign at once', async () => {
      const { checkpoints } = ports().integrity;
      const first = checkpointOf(3);
      expect(await checkpoints.append(checkpointOf(5, 'a', first))).toBe(false);
      expect(await checkpoints.append(first)).toBe(true);
      // Two signers who both saw `first` as the latest: the first stored stands, the other must sign again.
      const [mine, theirs] = [checkpointOf(6, 'b', first), checkpointOf(7, 'c', first)];
      expect(await checkpoints.append(mine)).toBe(true);
      expect(await checkpoints.append(theirs)).toBe(false);
      expect(await checkpoints.append(checkpointOf(1))).toBe(false);
      const next = checkpointOf(7, 'c', mine);
      expect(await checkpoints.append(next)).toBe(true);
      expect(await checkpoints.all()).toEqual([first, mine, next]);
      expect(next.previous).toEqual({ treeSize: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    });

    it('keeps a checkpoint signed before the series (no key, no predecessor) as it was', async () => {
      const { checkpoints } = ports().integrity;
      const { publicKey: _key, previous: _previous, ...unsigned } = checkpointOf(2);
      const legacy = { ...unsigned, signature: signText(key, checkpointText(unsigned)) };
      expect(await checkpoints.insert(legacy)).toBe(true);
      expect(await checkpoints.all()).toEqual([legacy]);
      expect(checkpointSignatureValid(legacy, key.publicKey)).toBe(true);
    });

    it('are still there, unchanged, for the next process', async () => {
      const stored = [checkpointOf(3), checkpointOf(7)];
      for (const c of stored) await ports().integrity.checkpoints.insert(c);
      const again = await reopen();
      expect(await again.integrity.checkpoints.all()).toEqual(stored);
    });
  });
};
