import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Starts the real server on an ephemeral port, stops it, and counts what its ledger holds. */
const serveOnce = async (dataDir: string, env: Record<string, string> = {}) => {
  const server = await startServer(loadConfig({ PORT: '0', LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }));
  await server.stop('test');
  const store = openSqliteEventStore({ file: `${dataDir}/ledger.db` });
  const count = await store.count();
  await store.close();
  return count;
};

describe('first start', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const dir = () => {
    const d = makeTempDir();
    dirs.push(d);
    return d.path;
  };

  it('imports the two example plans into an empty ledger, once', async () => {
    const dataDir = dir();
    expect(await serveOnce(dataDir)).toBe(48 + 7);
    expect(await serveOnce(dataDir)).toBe(48 + 7);
  });

  it('leaves the ledger empty with LEDGER_DEMO_DATA=false', async () => {
    expect(await serveOnce(dir(), { LEDGER_DEMO_DATA: 'false' })).toBe(0);
  });
});
