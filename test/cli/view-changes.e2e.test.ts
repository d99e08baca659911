import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';
import { ledger, recordPlan } from './view-support.ts';

describe("ledger view changes: a plan's changes between two points on either clock (real child processes)", () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('writes what changed in a plan between two points on either clock, and refuses options that do not go with the clock', async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    /** `ledger view changes dorset` with these options, on this data dir. */
    const changesOf = (...options: string[]) => ledger(['view', 'changes', 'dorset', ...options, '-d', dir.path]);
    // On the business clock, as the ledger knows it now: action 1.1 completed between July and September 2017.
    const effective = await changesOf('--clock', 'effective', '--from', '2017-07', '--to', '2017-09');
    expect(effective.code, effective.stderr).toBe(0);
    const completed = JSON.parse(effective.stdout) as {
      clock: string;
      from: string;
      to: string;
      asOf: string;
      actions: unknown[];
      entries: { type: string }[];
    };
    expect(completed).toMatchObject({ planId: 'dorset', clock: 'effective', from: '2017-07', to: '2017-09' });
    expect(completed.actions).toEqual([
      expect.objectContaining({
        ref: '1.1',
        change: 'changed',
        fields: expect.arrayContaining([expect.objectContaining({ field: 'status', before: 'open', after: 'completed' })]),
      }),
    ]);
    expect(completed.entries.map((e) => e.type)).toEqual(['ActionCompleted']);
    // On the ledger clock, from a day before anything was recorded to now: the whole plan is added.
    const out = dir.file('changes.json');
    const recorded = await changesOf('--from', '2016-01-31', '--to', new Date().toISOString(), '--effective-on', '2016-01', '-o', out);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stderr).toMatch(
      /^wrote changes of dorset recorded from 2016-01-31T23:59:59\.999Z to [\d-]+T[\d:.]+Z, effective on 2016-01 to .*changes\.json\n$/,
    );
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({
      clock: 'recorded',
      from: '2016-01-31T23:59:59.999Z',
      effectiveOn: '2016-01',
      revisionBefore: null,
      actions: [{ ref: '1.1', change: 'added' }],
    });
    // A ledger time still to come is read as now, and the file, and the line saying what was written, name that moment.
    const laterFile = dir.file('later.json');
    const later = await changesOf('--from', '2016-01-31', '--to', '2099-01-01', '-o', laterFile);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(/^ledger view: --to 2099-01-01 is still to come; comparing the ledger as it stands now/);
    const { to } = JSON.parse(fs.readFileSync(laterFile, 'utf8')) as { to: string };
    expect(Date.parse(to)).toBeLessThanOrEqual(Date.now());
    expect(later.stderr).toContain(`wrote changes of dorset recorded from 2016-01-31T23:59:59.999Z to ${to} to `);
    expect(later.stderr).not.toContain('to 2099-01-01 to');
    for (const [args, says] of [
      [['--from', '2017-07', '--to', '2017-09', '--clock', 'sideways'], /--clock sideways: must be recorded/],
      [['--from', '2017-07'], /changes needs --from and --to/],
      [['--from', '2017-07', '--to', '2017-09'], /--from 2017-07: must be an ISO 8601 instant with an offset/],
      [['--from', '2016-01-01', '--to', '2017-01-01', '--as-of', '2017-01-01'], /--as-of does not go with --clock recorded/],
      [
        ['--clock', 'effective', '--from', '2016-01', '--to', '2017-01', '--effective-on', '2016-06'],
        /--effective-on does not go with --clock effective/,
      ],
      // Named once as the option: "ledger view: --from (…)", never "----from (…)".
      // A month on the business clock is its last day, and the refusal says so.
      [
        ['--clock', 'effective', '--from', '2017-09', '--to', '2017-07'],
        /ledger view: --from \(2017-09, read as its last day, 2017-09-30\) is after --to \(2017-07, read as its last day, 2017-07-31\)/,
      ],
      // Both ends still to come, the wrong way round: refused as asked, not read as two equal moments now.
      [
        ['--from', '2999-02-01', '--to', '2999-01-01'],
        /ledger view: --from \(2999-02-01T23:59:59\.999Z\) is after --to \(2999-01-01T23:59:59\.999Z\)/,
      ],
      [['--clock', 'effective', '--from', '2017-09', '--to', '2099-01'], /--to 2099-01 begins after today/],
    ] as const) {
      const refused = await changesOf(...args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr, args.join(' ')).toMatch(says);
      expect(refused.stderr).toContain('Nothing was written.');
      expect(refused.stdout).toBe('');
    }
  }, 180_000);
});
