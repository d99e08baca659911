import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * The three ways an update's date and the document's could disagree, through `ledger import --dry-run --json` on Word
 * text exports written here as Word writes them (a cell opens with a tab): each update is dated no later than the
 * document, and a two-digit year that would fall far before it is not guessed.
 */
const run = promisify(execFile);
const ledger = (args: string[]) =>
  run(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

const textExport = (title: string, header: string[], ...rows: string[][]) =>
  [title, '', ...[header, ...rows].flatMap((cells) => [...cells.map((c) => `\t${c}`), ''])].join('\n') + '\n';

type Preview = {
  preview: { fact: string; ref?: string; effectiveOn?: string }[];
  warnings: { code: string; blocking: boolean; message: string }[];
};

describe('ledger import --dry-run on updates dated against the document (a real child process)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  const preview = async (name: string, content: string) => {
    const dir = makeTempDir();
    dirs.push(dir);
    fs.writeFileSync(dir.file(name), content);
    const result = await ledger(['import', dir.file(name), '--dry-run', '--json', '-d', dir.file('ledger')]);
    const json = JSON.parse(result.stdout) as Preview;
    const updates = json.preview.filter((r) => r.fact === 'update').map((r) => [r.ref, r.effectiveOn]);
    const warned = json.warnings.filter((w) => w.code !== 'owner-not-stated').map((w) => [w.code, w.blocking]);
    return { code: result.code, updates, warned };
  };

  it('holds a quarter, and stops at a month or a day after the document date, as at a far two-digit year', async () => {
    const header = ['No.', 'Action', 'Lead', 'Timescale', 'Q2 2018/19 RAG', 'Q3 2018/19 RAG', 'Progress update'];
    const after = await preview(
      'after.txt',
      textExport(
        'Northshire crisis care action plan, position as at 30 November 2018',
        header,
        ['1.1', 'Roll out the crisis line', 'Northshire ICB', 'December 2018', 'Amber', 'Green', 'March 2019: rolled out'],
        ['1.2', 'Train staff', 'Northshire ICB', 'December 2018', 'Red', 'Amber', '15 December 2018 – training completed'],
      ),
    );
    // The month and the day after the document's date would stop the real import at the gate, so the dry run exits 1.
    expect(after.code).toBe(1);
    // Each action: its Q2 rating, its Q3 rating (a quarter ending in December), then its update.
    expect(after.updates).toEqual([
      ['1.1', '2018-09'],
      ['1.1', '2018-11-30'],
      ['1.1', '2018-11-30'],
      ['1.2', '2018-09'],
      ['1.2', '2018-11-30'],
      ['1.2', '2018-11-30'],
    ]);
    expect(after.warned).toEqual([
      ['update-period-after-document', false],
      ['update-after-document', true],
      ['update-period-after-document', false],
      ['update-after-document', true],
    ]);

    const twoDigit = await preview(
      'two-digit.txt',
      textExport(
        'Northshire crisis care action plan, updated August 2017',
        ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'],
        ['1.1', 'Train staff', 'Northshire CCG', 'December 2017', 'June 12 staff trained'],
        ['1.2', 'Send leaflets', 'Northshire CCG', 'December 2017', 'Aug 17 500 leaflets sent'],
      ),
    );
    // The real import would be stopped at the gate, so the dry run exits 1.
    expect(twoDigit.code).toBe(1);
    expect(twoDigit.updates).toEqual([
      ['1.1', '2017-08'],
      ['1.2', '2017-08'],
    ]);
    expect(twoDigit.warned).toEqual([
      ['update-date-ambiguous', true],
      ['undated-update', false],
    ]);
  }, 60_000);
});
