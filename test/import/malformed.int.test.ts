import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/import/csv-export.ts';
import { exportPlan } from '../../src/import/export-plan.ts';
import { ImportError } from '../../src/import/import-error.ts';
import { readLedgerPlan } from '../../src/import/ledger-plan.ts';
import type { EventStore } from '../../src/store/port.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { DEVON, DORSET, importer, seed } from './import-support.ts';

/** Runs an import that must fail: returns the error, and checks the ledger did not change. */
const refused = async (store: EventStore, run: () => Promise<unknown>): Promise<ImportError> => {
  const before = await store.count();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the import should have been refused').toBeInstanceOf(ImportError);
  expect(await store.count()).toBe(before);
  return error as ImportError;
};

describe('documents the importer refuses, writing nothing', () => {
  const stores = useSqliteStores();

  const withDevon = async () => {
    const store = stores.open();
    const run = importer(store);
    await run({ fileName: DEVON });
    const csv = toCsv(exportPlan((await readLedgerPlan(store, 'recommendation-actions-progress-update-2022')).facts));
    return { store, run, csv };
  };

  it('a CSV cut short inside a quoted cell, naming the line', async () => {
    const { store, run, csv } = await withDevon();
    const cut = csv.slice(0, csv.indexOf('(for example'));
    const error = await refused(store, () => run({ fileName: 'cut.csv', content: cut, planId: 'another-plan' }));
    expect(error.code).toBe('csv-malformed');
    expect(error.line).toBeGreaterThan(1);
    expect(error.message).toMatch(/quote/i);
  });

  it('a CSV cut short between cells, naming the line of the short row', async () => {
    const { store, run, csv } = await withDevon();
    const lines = csv.trimEnd().split('\n');
    const cut = `${lines.slice(0, 3).join('\n')}\nupdate,1,recommendation\n`;
    const error = await refused(store, () => run({ fileName: 'cut.csv', content: cut, planId: 'another-plan' }));
    expect(error.code).toBe('csv-malformed');
    expect(error.line).toBe(4);
  });

  it('a CSV missing a column its rows need', async () => {
    const { store, run } = await withDevon();
    const csv = 'type,ref,text,leads\nplan,p-1,A plan,NHS Test Trust\n';
    const error = await refused(store, () => run({ fileName: 'no-date.csv', content: csv }));
    expect(error.code).toBe('csv-missing-column');
    expect(error.message).toContain('"date"');
    expect(error.line).toBe(2);
  });

  it('an image renamed .docx, named for what it is', async () => {
    const { store, run } = await withDevon();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const error = await refused(store, () => run({ fileName: 'plan.docx', content: png }));
    expect(error).toMatchObject({ code: 'not-a-plan-document', status: 415 });
    expect(error.message).toContain('"plan.docx" is a PNG image, not an action plan');
  });

  it('a 50 MB file', async () => {
    const { store, run } = await withDevon();
    const error = await refused(store, () => run({ fileName: 'huge.txt', content: Buffer.alloc(50 * 1024 * 1024, 0x61) }));
    expect(error).toMatchObject({ code: 'document-too-large', status: 413 });
    expect(error.message).toMatch(/50\.0 MB/);
  });

  it('a JSON file cut short', async () => {
    const { store, run } = await withDevon();
    const json = JSON.stringify({ plan: { planId: 'x', title: 'X', kind: 'other', owner: 'Y', date: '2020-01' } }, null, 2);
    const error = await refused(store, () => run({ fileName: 'cut.json', content: json.slice(0, 60) }));
    expect(error.code).toBe('document-truncated');
    expect(error.line).toBeGreaterThan(1);
  });

  it('a JSON document with a key given twice, or a number a double would round, naming the line', async () => {
    const { store, run } = await withDevon();
    const plan =
      '{\n  "plan": {\n    "planId": "x",\n    "title": "X",\n    "title": "Y",\n    "kind": "other", "owner": "Y", "date": "2020-01"\n  }\n}';
    const twice = await refused(store, () => run({ fileName: 'twice.json', content: plan }));
    expect(twice).toMatchObject({ code: 'json-duplicate-key', line: 5 });
    expect(twice.message).toContain('the document.plan.title');
    const big = plan.replace('"title": "Y",', '"version": 9007199254740993,');
    expect(await refused(store, () => run({ fileName: 'big.json', content: big }))).toMatchObject({ code: 'json-inexact-number', line: 5 });
  });

  it('a Word text export cut off in the middle of a row', async () => {
    const { store, run } = await withDevon();
    const text = seed(DORSET).toString('utf8');
    const cut = text.slice(0, text.indexOf('\tEnd July 2015') - 1);
    const error = await refused(store, () => run({ fileName: 'cut.txt', content: cut }));
    expect(error.code).toBe('document-truncated');
    expect(error.line).toBe(cut.split('\n').length);
  });

  it('a file cut in the middle of a character', async () => {
    const { store, run } = await withDevon();
    const bytes = Buffer.from('\tNo\n\tAction\n\tTimescale\n\t1.1\n\tAn action for the region’s trusts', 'utf8');
    const error = await refused(store, () => run({ fileName: 'cut.txt', content: bytes.subarray(0, bytes.length - 13) }));
    expect(error).toMatchObject({ code: 'document-truncated', line: 5 });
  });

  it('a fact the decider refuses (an update dated in the future), naming its line and the entry in words', async () => {
    const { store, run, csv } = await withDevon();
    const row = [
      'update',
      '2',
      'recommendation',
      '',
      'Work will be finished.',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '2031-01',
      '',
      '',
      '',
      '',
      '',
    ];
    const future = `${csv.trimEnd()}\n${row.join(',')}\n`;
    const error = await refused(store, () => run({ fileName: 'future.csv', content: future, planId: 'another-plan' }));
    expect(error.code).toBe('import-refused');
    expect(error.message).toContain('effective-date-in-future');
    // The entry in words, as the person reading the refusal knows it, not the command's type.
    expect(error.message).toContain('the ledger refused a progress update of recommendation 2: effectiveOn 2031-01 is after today');
    expect(error.line).toBe(future.trimEnd().split('\n').length);
  });
});

describe('options the importer refuses', () => {
  const stores = useSqliteStores();
  it('a plan id that is not one', async () => {
    const store = stores.open();
    const error = await refused(store, () => importer(store)({ fileName: DEVON, planId: 'Devon 2022!' }));
    expect(error).toMatchObject({ code: 'invalid-plan-id', status: 400 });
  });
});
