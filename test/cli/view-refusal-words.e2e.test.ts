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

/** No C0 control character but the line feeds that end lines, and no DEL or C1 control: nothing a terminal acts on. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

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

describe('ledger view echoes what was typed on one line, its control characters escaped', () => {
  it('writes an --action with a line break or a form feed around it (read as the ref) and says so on one line', async () => {
    for (const [n, action, shown] of [
      [1, '1.1\n', 'of action "1.1\\n" as of'],
      [2, '\f1.1', 'of action "\\f1.1" as of'],
    ] as const) {
      const out = dir.file(`timeline-${n}.json`);
      const written = await ledger(['view', 'timeline', 'dorset', '--action', action, '-o', out, '-d', dir.path]);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stderr).toContain(shown);
      expect(written.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(written.stderr).not.toMatch(RAW_CONTROL);
      expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({ ref: '1.1' });
    }
  }, 60_000);

  it('refuses options holding ESC, DEL, a C1 control or a line break with one line each, the value escaped, writing nothing', async () => {
    const files = fs.readdirSync(dir.path);
    const events = await eventCount();
    const refusals: [args: string[], says: string][] = [
      [['timeline', 'dorset', '--action', '1.\u001b[31m1'], '--action "1.\\u001b[31m1": a reference is'],
      [['timeline', 'dorset', '--action', '1.1\u007f'], '--action "1.1\\u007f": a reference is'],
      [['timeline', 'dorset', '--action', '1.1\u009b2J'], '--action "1.1\\u009b2J": a reference is'],
      [['timeline', 'dorset', '--order', '\u001b[2Jx'], '--order "\\u001b[2Jx": must be recorded'],
      [['changes', 'dorset', '--from', '2020-01-01', '--to', '2021-01-01', '--clock', 'x\ny'], '--clock "x\\ny": must be recorded'],
      [['plans', '--as-of', '2019\u001b[1m'], '--as-of "2019\\u001b[1m": must be'],
      [['plans', '--effective-on', '2019\r'], '--effective-on "2019\\r": must be'],
      [['plans', '-o', '/no-such-folder/\u001b[1mx'], '-o "/no-such-folder/\\u001b[1mx": the folder'],
      [['plans', 'x\u001b[1m'], 'plans takes no plan or organisation ("x\\u001b[1m" given)'],
      [['\u001b[2Jplans'], 'unknown view "\\u001b[2Jplans"'],
    ];
    for (const [args, says] of refusals) {
      const refused = await ledger(['view', ...args, '-d', dir.path]);
      expect(refused.code, JSON.stringify(args)).toBe(2);
      expect(refused.stderr, JSON.stringify(args)).toContain(says);
      expect(refused.stderr, JSON.stringify(args)).not.toMatch(RAW_CONTROL);
      expect(refused.stderr.split('\n'), JSON.stringify(args)).toEqual([expect.any(String), 'Nothing was written.', '']);
    }
    expect(fs.readdirSync(dir.path)).toEqual(files);
    expect(await eventCount()).toBe(events);
  }, 180_000);

  it('names an organisation no plan names with its DEL or C1 controls escaped, on one line (exit 1), writing nothing', async () => {
    const events = await eventCount();
    for (const args of [
      ['organisation', 'Nob\u007f\u009b2J'],
      ['deadlines', '--organisation', 'Nob\u007f\u009b2J'],
    ]) {
      const refused = await ledger(['view', ...args, '-d', dir.path]);
      expect(refused.code, JSON.stringify(args)).toBe(1);
      expect(refused.stderr, JSON.stringify(args)).toContain('names an organisation called Nob\\u007f\\u009b2J');
      expect(refused.stderr, JSON.stringify(args)).toContain('[organisation-not-found]');
      expect(refused.stderr, JSON.stringify(args)).not.toMatch(RAW_CONTROL);
      expect(refused.stderr.split('\n'), JSON.stringify(args)).toEqual([expect.any(String), 'Nothing was written.', '']);
    }
    expect(await eventCount()).toBe(events);
  }, 60_000);
});
