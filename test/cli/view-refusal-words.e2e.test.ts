import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { ledger, recordPlan } from './view-support.ts';

/*
 * What `ledger view` says on stderr when it refuses, or when it echoes what was typed: a refusal
 * alone (no note of a time still to come read as now, as nothing was read), and every line one
 * line, whatever control characters the options held (real child processes, a real ledger file).
 */

const dir = makeTempDir('ledger-view-words-');
beforeAll(async () => {
  await recordPlan(dir.file('ledger.db'));
  // A first read makes the read store and the access log, so that what a refusal leaves is the folder as it was.
  expect((await ledger(['view', 'plan', 'dorset', '-d', dir.path])).code).toBe(0);
}, 60_000);
afterAll(() => dir.remove());

const eventCount = async () => {
  const store = openSqliteEventStore({ file: dir.file('ledger.db') });
  try {
    return await store.count();
  } finally {
    await store.close();
  }
};

describe('ledger view refuses with its refusal alone', () => {
  it('prints no "still to come" note before a refusal of the clocks, a window, or a plan, and writes nothing', async () => {
    const files = fs.readdirSync(dir.path);
    const events = await eventCount();
    const refusals: [args: string[], code: number, says: RegExp][] = [
      [['plans', '--as-of', '2999-01-01', '--effective-on', '2999-01'], 2, /^ledger view: --effective-on 2999-01 begins after today/],
      [['deadlines', '--as-of', '2999-01-01', '--from', '2018-03', '--to', '2017-01'], 2, /^ledger view: --from \(2018-03\) is after --to/],
      [
        ['changes', 'dorset', '--from', '2999-01-01', '--to', '2999-02-01', '--effective-on', '2999-01'],
        2,
        /^ledger view: --effective-on 2999-01 begins after today/,
      ],
      [['plan', 'nowhere', '--as-of', '2999-01-01'], 1, /^ledger view: No plan nowhere was registered as of .* \[plan-not-found\]/],
    ];
    for (const [args, code, says] of refusals) {
      const refused = await ledger(['view', ...args, '-o', dir.file('out.json'), '-d', dir.path]);
      expect(refused.code, args.join(' ')).toBe(code);
      expect(refused.stderr, args.join(' ')).toMatch(says);
      expect(refused.stderr, args.join(' ')).not.toContain('still to come');
      expect(refused.stderr.split('\n'), args.join(' ')).toHaveLength(3); // the refusal, "Nothing was written.", and the end
    }
    expect(fs.readdirSync(dir.path)).toEqual(files);
    expect(await eventCount()).toBe(events);
    // The note stays where the view is read and written.
    const written = await ledger(['view', 'plans', '--as-of', '2999-01-01', '-d', dir.path]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toMatch(/^ledger view: --as-of 2999-01-01 is still to come; reading the ledger as it stands now/);
  }, 120_000);
});
