import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openLedger, seedCommands, signCheckpoint, snapshot } from '../copy/copy-fixture.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { freshLedgerNames, ledgerStoreSetting } from './server.ts';

const LEDGER = path.resolve('bin/ledger.js');

/** A ledger of its own on the server: a fresh namespace, so every run starts on an empty one. */
const freshLedgerOnServer = () => ledgerStoreSetting(freshLedgerNames());

const ledger = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [LEDGER, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** `ledger copy` between SQLite and the real server, as an operator runs it. */
export const describeCopyOnServer = (): void => {
  describe('ledger copy to and from the server (real processes)', () => {
    let dir: ReturnType<typeof makeTempDir>;
    beforeEach(() => {
      dir = makeTempDir('ledger-copy-kurrentdb-');
    });
    afterEach(() => dir.remove());

    it('carries a SQLite ledger to KurrentDB and back unchanged, each copy verified against its source', async () => {
      const sqlite = dir.file('sqlite');
      const key = loadSigningKey({ dataDir: sqlite }).key;
      fs.writeFileSync(dir.file('public.pem'), key.publicKeyPem);
      const original = await openLedger(sqlite);
      await seedCommands(original, ['plan-dorset', 'plan-devon', 'plan-kent'], 4);
      await signCheckpoint(original, sqlite, key);
      await seedCommands(original, ['plan-dorset', 'plan-devon'], 3);
      await signCheckpoint(original, sqlite, key);
      const expected = await snapshot(original);
      await original.close();

      const onServer = freshLedgerOnServer();
      const there = await ledger('copy', '--from', sqlite, '--to', onServer, '-d', dir.file('instance-a'));
      expect(there.code, there.stderr).toBe(0);
      expect(there.stdout).toContain('OK: the target is a verified copy of the source');

      const back = dir.file('back');
      const again = await ledger(
        'copy',
        '--from',
        onServer,
        '--to',
        back,
        '-d',
        dir.file('instance-b'),
        '--public-key',
        dir.file('public.pem'),
      );
      expect(again.code, again.stderr).toBe(0);
      const returned = await openLedger(back);
      expect(await snapshot(returned)).toEqual(expected);
      await returned.close();
    }, 120_000);

    it('refuses to copy into a KurrentDB ledger that holds another ledger, and writes nothing to it', async () => {
      const first = dir.file('first');
      const second = dir.file('second');
      for (const dataDir of [first, second]) {
        loadSigningKey({ dataDir });
        const backend = await openLedger(dataDir);
        await seedCommands(backend, [`plan-${path.basename(dataDir)}`], 2);
        await backend.close();
      }
      const onServer = freshLedgerOnServer();
      expect((await ledger('copy', '--from', first, '--to', onServer, '-d', dir.file('instance'))).code).toBe(0);
      const refused = await ledger('copy', '--from', second, '--to', onServer, '-d', dir.file('instance'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/REFUSED \(target-not-a-copy\)/);
      expect(refused.stderr).toMatch(/which now holds 2 events/);
    }, 120_000);
  });
};
