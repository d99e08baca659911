import fs from 'node:fs/promises';
import path from 'node:path';
import { openFilesystemBlobStore } from '../../src/blobs/filesystem/filesystem-blob-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { describeBlobStoreContract } from './blob-store-contract.ts';

const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat();
};

describeBlobStoreContract('filesystem', async () => {
  const dir = makeTempDir('blob-store-');
  const root = path.join(dir.path, 'evidence');
  return {
    store: openFilesystemBlobStore(root),
    leftovers: async () => [...(await filesUnder(path.join(root, 'staging'))), ...(await filesUnder(path.join(root, 'sweeping')))],
    setAside: async (sha256) => {
      await fs.mkdir(path.join(root, 'sweeping'), { recursive: true });
      await fs.rename(path.join(root, 'sha256', sha256.slice(0, 2), sha256), path.join(root, 'sweeping', `${sha256}.crashed.tmp`));
    },
    dispose: async () => dir.remove(),
  };
});
