import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { actor, ledger, recordPlan } from './view-support.ts';

describe('ledger view: a read view at both clocks, written to a file (real child processes)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('writes the deadline report as it stood on two business dates, an empty list before anything was recorded, and refuses bad clocks writing nothing', async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const report = async (effectiveOn: string) => {
      const out = dir.file(`deadlines-${effectiveOn}.json`);
      const result = await ledger([
        'view',
        'deadlines',
        '--from',
        '2015-10',
        '--to',
        '2018-03',
        '--effective-on',
        effectiveOn,
        '-o',
        out,
        '-d',
        dir.path,
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(new RegExp(`wrote deadlines from 2015-10 to 2018-03 as of .*, effective on ${effectiveOn} to `));
      return JSON.parse(fs.readFileSync(out, 'utf8')) as {
        asOf: string;
        effectiveOn: string;
        today: string;
        actions: { ref: string; outcome: string }[];
      };
    };
    const before = await report('2016-01');
    expect(before).toMatchObject({ effectiveOn: '2016-01', today: '2016-01-31', actions: [{ ref: '1.1', outcome: 'open' }] });
    expect(Date.parse(before.asOf)).toBeLessThanOrEqual(Date.now()); // the answer names the ledger time it was read at
    expect(await report('2017-09')).toMatchObject({ effectiveOn: '2017-09', actions: [{ ref: '1.1', outcome: 'met' }] });

    const early = await ledger(['view', 'plans', '--as-of', '2015-01-01', '-d', dir.path]);
    expect(early.code, early.stderr).toBe(0);
    expect(JSON.parse(early.stdout)).toMatchObject({ asOf: '2015-01-01T23:59:59.999Z', plans: [], next: null });
    const now = await ledger(['view', 'plan', 'dorset', '--effective-on', '2016-01', '-d', dir.path]);
    expect(JSON.parse(now.stdout)).toMatchObject({ planId: 'dorset', effectiveOn: '2016-01', actions: [{ ref: '1.1', status: 'open' }] });

    // One organisation's deadlines, by any of its names, as `organisation=` gives them.
    const led = await ledger([
      'view',
      'deadlines',
      '--from',
      '2015-10',
      '--to',
      '2018-03',
      '--organisation',
      ' Dorset CCG',
      '-d',
      dir.path,
    ]);
    expect(led.code, led.stderr).toBe(0);
    expect(JSON.parse(led.stdout)).toMatchObject({ actions: [{ ref: '1.1' }] });
    const nobody = await ledger(['view', 'deadlines', '--organisation', 'Nobody Trust', '-d', dir.path]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/\[organisation-not-found\]/);

    const files = fs.readdirSync(dir.path);
    const badDate = await ledger(['view', 'deadlines', '--effective-on', '2017-13', '-o', dir.file('bad.json'), '-d', dir.path]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(
      /--effective-on 2017-13: must be a real calendar date as YYYY-MM-DD, or a month as YYYY-MM \(2017-13 is not a month that exists\)\nNothing was written\./,
    );
    const afterAsOf = await ledger(['view', 'plans', '--as-of', '2016-01-01', '--effective-on', '2017-01', '-d', dir.path]);
    expect(afterAsOf.code).toBe(2);
    expect(afterAsOf.stderr).toMatch(/--effective-on 2017-01 begins after the --as-of day/);
    const future = await ledger(['view', 'plans', '--effective-on', '2999-01', '-d', dir.path]);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--effective-on 2999-01 begins after today/);
    // --as-of is read as the API reads asOf: no day that does not exist, no instant without its offset,
    // none outside London's years 0001 to 9999 (the first is in the year 10000 in UTC).
    for (const asOf of ['2019-02-30T12:00:00Z', '2019-03-01T12:00:00', '9999-12-31T23:00-05:00', '0001-01-01T00:00Z']) {
      const refused = await ledger(['view', 'plans', '--as-of', asOf, '-o', dir.file('bad.json'), '-d', dir.path]);
      expect(refused.code, asOf).toBe(2);
      expect(refused.stderr).toContain(
        asOf.startsWith('2019-02-30')
          ? `--as-of ${asOf}: must be a day that exists (2019-02-30 does not): an ISO 8601 instant with an offset`
          : asOf.startsWith('2019')
            ? `--as-of ${asOf}: must be an ISO 8601 instant with an offset`
            : `--as-of ${asOf}: must be in the years 0001 to 9999 in London: an ISO 8601 instant with an offset`,
      );
    }
    // A file names the state it holds: a --as-of still to come is read as the moment the command runs.
    const later = await ledger(['view', 'plans', '--as-of', '2999-01-01', '-d', dir.path]);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toContain('--as-of 2999-01-01 is still to come; reading the ledger as it stands now');
    const laterAsOf = (JSON.parse(later.stdout) as { asOf: string; plans: unknown[] }).asOf;
    expect(Date.parse(laterAsOf)).toBeLessThanOrEqual(Date.now());
    expect(JSON.parse(later.stdout)).toMatchObject({ plans: [{ planId: 'dorset' }] });
    const missing = await ledger(['view', 'plan', 'nowhere', '-o', dir.file('nowhere.json'), '-d', dir.path]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\[plan-not-found\]\nNothing was written\./);
    expect(fs.readdirSync(dir.path)).toEqual(files);
  }, 300_000); // thirteen Node processes in a row: minutes on a busy two-core machine

  it("writes a timeline as it happened and one action's alone, and refuses what a view would not read, writing nothing", async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const effective = await ledger(['view', 'timeline', 'dorset', '--order', 'effective', '--action', '1.1', '-d', dir.path]);
    expect(effective.code, effective.stderr).toBe(0);
    const timeline = JSON.parse(effective.stdout) as { order: string; ref: string; entries: { type: string }[] };
    expect(timeline).toMatchObject({ order: 'effective', ref: '1.1' });
    expect(timeline.entries.map((e) => e.type)).toEqual(['ActionAgreed', 'ActionCompleted']);
    const files = fs.readdirSync(dir.path);
    for (const [args, says] of [
      [['view', 'plans', 'dorset'], /plans takes no plan or organisation \("dorset" given\)/],
      [['view', 'plan'], /plan needs a plan id\n/],
      [['view', 'organisation'], /organisation needs an organisation name\n/],
      [['view', 'timeline', 'dorset', '--from', '2016-01'], /--from is read by deadlines, changes only, not by timeline/],
      [['view', 'plans', '--order', 'effective'], /--order is read by timeline only, not by plans/],
      [['view', 'timeline', 'dorset', '--order', 'sideways'], /--order sideways: must be recorded .* or effective/],
      [['view', 'plans', '--effective-on', '2016-02-30'], /--effective-on 2016-02-30: must be a real calendar date/],
      [['view', 'plans', '-o', dir.file('no-such-folder/plans.json')], /the folder .*no-such-folder does not exist/],
      [['view', 'plans', '-o', dir.path], /is a folder; name a file in it/],
      [['view', 'plans', '-o', `${dir.file('new-folder')}/`], /new-folder\/: ends in \/, so it names a folder, not a file/],
      // What the API refuses in a path or a query, the view refuses too, rather than look for it or keep the last.
      [['view', 'plan', 'DORSET'], /plan "DORSET": a plan id is lowercase letters, digits and hyphens/],
      [['view', 'plan', ''], /plan "": a plan id is lowercase/],
      [['view', 'organisation', 'Dorset\u001bCCG'], /organisation "Dorset\\u001bCCG": must not hold control characters/],
      [['view', 'deadlines', '--organisation', '  '], /--organisation " {2}": must not be empty/],
      [['view', 'timeline', 'dorset', '--action', '1.1;2'], /--action "1\.1;2": a reference is letters, digits/],
      [['view', 'plans', '--organisation', 'Dorset CCG'], /--organisation is read by deadlines only, not by plans/],
    ] as const) {
      const refused = await ledger([...args, '-d', dir.path]);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(says);
      expect(refused.stderr).toContain('Nothing was written.');
      expect(refused.stdout).toBe('');
    }
    const twice = await ledger(['view', 'plans', '--as-of', '2016-01-01', '--as-of', '2017-01-01', '-d', dir.path]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--as-of.*must be given once \(given "2016-01-01" and "2017-01-01"\)\nNothing was written\.\n/);
    expect(twice.stdout).toBe('');
    expect(fs.readdirSync(dir.path)).toEqual(files);
  }, 240_000); // sixteen Node processes in a row

  it('writes to stdout with -o -, and says so in one line when the file cannot be made, writing nothing', async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const files = fs.readdirSync(dir.path);
    const dash = await ledger(['view', 'timeline', 'dorset', '--action', '1.1', '--order', 'effective', '-o', '-', '-d', dir.path]);
    expect(dash.code, dash.stderr).toBe(0);
    expect(JSON.parse(dash.stdout)).toMatchObject({ planId: 'dorset', ref: '1.1', order: 'effective' });
    expect(fs.existsSync('-')).toBe(false);
    // The file says every option that shaped it.
    const shaped = await ledger([
      'view',
      'timeline',
      'dorset',
      '--action',
      '1.1',
      '--order',
      'effective',
      '-o',
      dir.file('t.json'),
      '-d',
      dir.path,
    ]);
    expect(shaped.stderr).toMatch(/^wrote timeline dorset of action 1\.1, in effective order as of .* to .*t\.json\n$/);
    fs.rmSync(dir.file('t.json'));
    // A place no file can be made in (the kernel's own files): refused in words, and nothing left behind.
    const nowhere = await ledger(['view', 'plans', '-o', '/proc/ledger-view.json', '-d', dir.path]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toBe('ledger view: -o /proc/ledger-view.json: no file can be made there\nNothing was written.\n');
    expect(nowhere.stdout).toBe('');
    // Beside the read store, only the access log is new: it records the timeline read above.
    const made = (names: string[]) => names.filter((f) => !f.startsWith('read-models') && !f.startsWith('access-log'));
    expect(made(fs.readdirSync(dir.path))).toEqual(made(files));
  }, 120_000);

  it('refuses a clock or window it cannot read before opening the read store, so a data dir without one is left as it was', async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const files = fs.readdirSync(dir.path);
    for (const [args, says] of [
      [['view', 'plans', '--as-of', 'yesterday'], /--as-of yesterday: must be an ISO 8601 instant/],
      [['view', 'plans', '--as-of', '9999-12-31T23:00-05:00'], /--as-of 9999-12-31T23:00-05:00: must be .* in the years 0001 to 9999/],
      [['view', 'deadlines', '--effective-on', '2017-13'], /--effective-on 2017-13: must be a real calendar date/],
      [['view', 'deadlines', '--from', '2016-01'], /give both --from and --to, or neither/],
      [['view', 'deadlines', '--from', '2016-01', '--to', '2016-14'], /--to 2016-14: must be a real calendar date/],
    ] as const) {
      const refused = await ledger([...args, '-o', dir.file('out.json'), '-d', dir.path]);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(says);
      expect(refused.stderr).toContain('Nothing was written.');
    }
    expect(fs.readdirSync(dir.path)).toEqual(files);
    expect(files).not.toContain('read-models.db');
  }, 120_000);

  it('writes a plan retracted at its clocks with the retraction saying who, when and why, and the plan unretracted before it', async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const retractedAt = new Date(Date.now() - 1).toISOString();
    await createCommandHandler({ store })(
      'dorset',
      { type: 'RetractPlan', data: { reason: 'Registered twice' } },
      {
        actor,
        commandId: 'retract',
        correlationId: 'view',
        provenance: { source: 'api' },
      },
    );
    await store.close();
    const now = await ledger(['view', 'plan', 'dorset', '-o', dir.file('retracted.json'), '-d', dir.path]);
    expect(now.code, now.stderr).toBe(0);
    expect(now.stderr).toMatch(/^wrote plan dorset \(retracted at these clocks: see its retraction\) as of .* to .*retracted\.json\n$/);
    expect(JSON.parse(fs.readFileSync(dir.file('retracted.json'), 'utf8'))).toMatchObject({
      planId: 'dorset',
      retraction: { by: 'Jo Bloggs', reason: 'Registered twice' },
    });
    const before = await ledger(['view', 'plan', 'dorset', '--as-of', retractedAt, '-d', dir.path]);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).not.toHaveProperty('retraction');

    // Its changes are the retraction too, and the file still says at which state of the ledger, or which business date,
    // they were read, as every changes file does.
    const onBusinessClock = await ledger([
      ...'view changes dorset --clock effective --from 2015-03 --to 2016-01'.split(' '),
      '-d',
      dir.path,
    ]);
    expect(onBusinessClock.code, onBusinessClock.stderr).toBe(0);
    expect(JSON.parse(onBusinessClock.stdout)).toEqual({
      planId: 'dorset',
      clock: 'effective',
      from: '2015-03',
      to: '2016-01',
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      retraction: expect.objectContaining({ reason: 'Registered twice' }),
    });
    const onLedgerClock = await ledger([
      'view',
      'changes',
      'dorset',
      '--from',
      retractedAt,
      '--to',
      new Date().toISOString(),
      '-d',
      dir.path,
    ]);
    expect(onLedgerClock.code, onLedgerClock.stderr).toBe(0);
    expect(JSON.parse(onLedgerClock.stdout)).toMatchObject({
      clock: 'recorded',
      effectiveOn: null,
      retraction: { reason: 'Registered twice' },
    });
  }, 60_000);
});
