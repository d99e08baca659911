import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createKeyWithCli } from '../test/support/cli-keys.ts';
import { client, registerPlan, serve, stop } from './support.ts';

/** What the tamper cases need to know of the seed ledger to aim at something real. */
export interface SeedFacts {
  /** Tree sizes of the signed checkpoints, smallest first. */
  checkpoints: number[];
  size: number;
  /** A plan stream with events inside the first checkpoint, and the position of one of them. */
  stream: string;
  position: number;
  /** Two neighbouring positions of different streams inside the first checkpoint. */
  neighbours: [number, number];
  /** The position of the key rotation event. */
  rotation: number;
  commandId: string;
}

/**
 * The ledger every tamper case starts from, made by real services as a user would: the demo
 * plans, a plan of its own written over several checkpoints, audited reads in the access log,
 * a planned key rotation, and events after the latest checkpoint.
 */
export const seedDataDir = async (dir: string): Promise<SeedFacts> => {
  const manager = createKeyWithCli(dir, 'plan-manager', 'Soak Trust');
  const auditor = createKeyWithCli(dir, 'auditor', 'Independent inquiry');
  const admin = createKeyWithCli(dir, 'admin', 'Soak Trust');
  const env = { LEDGER_DEMO_DATA: 'true', LEDGER_CHECKPOINT_INTERVAL_MS: '0' };
  const writeAndSign = async (url: string, rounds: number, tag: string) => {
    const api = client(url, manager);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < 4; i++) {
        const r = await api.post(`/plans/tamper/actions/1.${1 + (i % 3)}/progress-updates`, {
          narrative: `${tag} ${round}.${i}`,
          effectiveOn: '2016-01',
        });
        if (r.status !== 201) throw new Error(`seed write: ${r.status} ${await r.text()}`);
      }
      const signed = await client(url, admin).post('/ledger/checkpoints', {});
      if (signed.status !== 201) throw new Error(`seed checkpoint: ${signed.status} ${await signed.text()}`);
    }
  };
  const first = await serve(dir, env);
  try {
    await registerPlan(client(first.url, manager), 'tamper', 'Soak Trust');
    await writeAndSign(first.url, 3, 'before');
    const audit = client(first.url, auditor);
    for (const path of ['/plans/tamper/export', '/plans/tamper/events', '/ledger/verify']) await (await audit.get(path)).arrayBuffer();
  } finally {
    await stop(first.child);
  }
  execFileSync(process.execPath, ['bin/ledger.js', 'rotate-signing-key', '-d', dir, '--reason', 'soak'], { stdio: 'pipe' });
  const second = await serve(dir, env);
  try {
    await writeAndSign(second.url, 2, 'after');
    // Written after the latest checkpoint: covered by their chains only, until the next.
    const api = client(second.url, manager);
    await api.post('/plans/tamper/actions/1.1/progress-updates', { narrative: 'unsigned tail', effectiveOn: '2016-02' });
  } finally {
    await stop(second.child);
  }
  return seedFacts(join(dir, 'ledger.db'));
};

const seedFacts = (file: string): SeedFacts => {
  const db = new Database(file, { readonly: true });
  try {
    const checkpoints = db
      .prepare<[], { tree_size: number }>('SELECT tree_size FROM checkpoints ORDER BY tree_size')
      .all()
      .map((c) => c.tree_size);
    const size = db.prepare<[], { n: number }>('SELECT max(position) + 1 AS n FROM events').get()!.n;
    const inFirst = db
      .prepare<[number], { position: number; stream: string; command_id: string }>(
        "SELECT position, stream, command_id FROM events WHERE position < ? AND stream LIKE 'plan-%' AND revision > 0 ORDER BY position DESC LIMIT 1",
      )
      .get(checkpoints[0]!)!;
    const rows = db
      .prepare<[number], { position: number; stream: string }>('SELECT position, stream FROM events WHERE position < ? ORDER BY position')
      .all(checkpoints[0]!);
    const at = rows.findIndex((r, i) => i > 0 && r.stream !== rows[i - 1]!.stream);
    const rotation = db.prepare<[], { position: number }>("SELECT position FROM events WHERE stream = 'ledger-signing-keys'").get()!
      .position;
    return {
      checkpoints,
      size,
      stream: inFirst.stream,
      position: inFirst.position,
      neighbours: [rows[at - 1]!.position, rows[at]!.position],
      rotation,
      commandId: inFirst.command_id,
    };
  } finally {
    db.close();
  }
};
