import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { BackupNotTrustworthy } from '../../src/backup/backup-errors.ts';
import { backupFixture } from './backup-fixture.ts';

async function* bytes(content: Buffer) {
  yield new Uint8Array(content);
}

describe('backups carry the evidence files', () => {
  let fixture: Awaited<ReturnType<typeof backupFixture>>;
  afterEach(() => fixture.cleanup());

  it('copies every stored file into the backup through the blob-store port, restores it, and names one changed in the backup', async () => {
    fixture = await backupFixture();
    const content = Buffer.from('%PDF-1.4\nBoard minutes\n');
    const staged = await fixture.backend.blobs.stage(bytes(content), { maxBytes: 1024 });
    await staged.commit();
    const { directory, manifest } = await fixture.take();
    const relative = `data/evidence/sha256/${staged.sha256.slice(0, 2)}/${staged.sha256}`;
    expect(manifest.files.map((f) => f.path)).toContain(relative);

    const into = path.join(fixture.temp('ledger-restore-').path, 'data');
    await fixture.restore(directory, into);
    const restored = await openBackend({ store: { kind: 'sqlite' }, dataDir: into }, { create: false });
    try {
      expect(await restored.blobs.stat(staged.sha256)).toMatchObject({ size: content.length });
    } finally {
      await restored.close();
    }

    fs.writeFileSync(path.join(directory, relative), 'forged');
    const again = path.join(fixture.temp('ledger-restore-').path, 'data');
    const error = await fixture.restore(directory, again).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackupNotTrustworthy);
    expect((error as Error).message).toContain(`${relative} has changed since the backup`);
  });
});
