import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteAccessLog } from '../../src/access/sqlite/access-log.ts';
import type { LoggedAccess } from '../../src/access/port.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { ledger, recordPlan } from './view-support.ts';

/** Every record of the data dir's access log, oldest first. */
const accessLog = async (file: string): Promise<LoggedAccess[]> => {
  const log = openSqliteAccessLog(file);
  try {
    return (await log.query({ limit: 1000 })).entries;
  } finally {
    await log.close();
  }
};

describe("reads of a plan's detail through the command line are in the access log (real child processes)", () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const dataDir = async () => {
    const dir = makeTempDir('ledger-cli-audit-');
    dirs.push(dir);
    loadSigningKey({ dataDir: dir.path });
    await recordPlan(dir.file('ledger.db'));
    return dir;
  };
  const who = `cli:${os.userInfo().username}@${os.hostname()}`;

  it('records each read of a plan, its timeline, its changes, its export, its evidence pack and its facts, and refusals of an unknown plan', async () => {
    const dir = await dataDir();
    const reads: [string[], string][] = [
      [['view', 'plan', 'dorset', '--effective-on', '2017-07'], 'ledger view plan'],
      [['view', 'timeline', 'dorset', '--order', 'effective'], 'ledger view timeline'],
      [['view', 'changes', 'dorset', '--clock', 'effective', '--from', '2017-07', '--to', '2017-09'], 'ledger view changes'],
      [['export', '--plan', 'dorset', '--out', dir.file('export.json')], 'ledger export'],
      [['evidence-pack', 'dorset', '-o', dir.file('pack.zip')], 'ledger evidence-pack'],
      [['export-plan', 'dorset', '--format', 'json'], 'ledger export-plan'],
    ];
    for (const [args, route] of reads) {
      const read = await ledger([...args, '-d', dir.path]);
      expect(read.code, `${route}: ${read.stderr}`).toBe(0);
    }
    // Lists and reports over every plan are not detail the API records either.
    expect((await ledger(['view', 'plans', '-d', dir.path])).code).toBe(0);
    expect((await ledger(['view', 'discrepancies', '-d', dir.path])).code).toBe(0);

    const logged = await accessLog(dir.file('access-log.db'));
    expect(logged.map((e) => e.route)).toEqual(reads.map(([, route]) => route));
    for (const entry of logged)
      expect(entry).toMatchObject({
        principalId: who,
        principalName: os.userInfo().username,
        role: null,
        method: 'CLI',
        planId: 'dorset',
        status: 200,
        ip: null,
      });
    // The command as typed, a quoted argument where it holds a space, so the record says exactly what was asked.
    expect(logged[0]!.path).toBe(`ledger view plan dorset --effective-on 2017-07 -d ${dir.path}`);

    const unknown = await ledger(['view', 'plan', 'no-such-plan', '-d', dir.path]);
    expect(unknown.code).toBe(1);
    const unknownExport = await ledger(['export-plan', 'no such plan', '-d', dir.path]);
    expect(unknownExport.code).toBe(1);
    expect(unknownExport.stderr).toMatch(/no plan "no such plan"/);
    const refusals = (await accessLog(dir.file('access-log.db'))).slice(logged.length);
    expect(refusals).toEqual([
      expect.objectContaining({ route: 'ledger view plan', planId: 'no-such-plan', status: 404 }),
      expect.objectContaining({
        route: 'ledger export-plan',
        planId: 'no such plan',
        status: 404,
        path: expect.stringContaining('"no such plan"'),
      }),
    ]);
  }, 240_000);

  it('writes nothing when the read cannot be recorded in the access log', async () => {
    const dir = await dataDir();
    // A folder where the access log's file belongs: the log cannot be opened, so nothing can be recorded.
    fs.mkdirSync(dir.file('access-log.db'));
    const out = dir.file('plan.json');
    const refused = [
      await ledger(['view', 'plan', 'dorset', '-o', out, '-d', dir.path]),
      await ledger(['view', 'timeline', 'dorset', '-d', dir.path]),
      await ledger(['export', '--plan', 'dorset', '--out', out, '-d', dir.path]),
      await ledger(['evidence-pack', 'dorset', '-o', out, '-d', dir.path]),
      await ledger(['export-plan', 'dorset', '-o', out, '-d', dir.path]),
    ];
    for (const run of refused) {
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/could not be recorded in the access log .*\n.*Nothing was written/);
      expect(run.stdout).not.toMatch(/dorset/);
    }
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir.path).filter((f) => f.startsWith('plan.json'))).toEqual([]);
    // A list over every plan records nothing, so it is still written.
    expect((await ledger(['view', 'plans', '-d', dir.path])).code).toBe(0);
  }, 180_000);
});
