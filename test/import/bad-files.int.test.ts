import { strToU8, unzipSync, zipSync } from 'fflate';
// officecrypto-tool encrypts a workbook the way Excel's "Encrypt with Password" does.
import officeCrypto from 'officecrypto-tool';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/import-error.ts';
import type { EventStore } from '../../src/store/port.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { DEVON, importer } from './import-support.ts';

/**
 * Files that are not plans, or not readable ones, get a message that says what is wrong
 * and what to do, and write nothing: the ledger holds exactly what it held before.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Anyshire plan, updated March 2016' },
  {
    table: [
      ['No.', 'Action', 'Led by', 'Timescale'],
      ['1.1', 'Open a crisis café', 'Anyshire County Council', 'December 2015'],
    ],
  },
];

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

/** A workbook with a VBA project inside, as Excel saves an .xlsm. */
const withMacros = (xlsx: Buffer): Buffer => {
  const parts = unzipSync(new Uint8Array(xlsx));
  parts['xl/vbaProject.bin'] = strToU8('a VBA project');
  return Buffer.from(zipSync(parts));
};

describe('bad files get a clear message and write nothing', () => {
  const stores = useSqliteStores();
  const withDevon = async () => {
    const store = stores.open();
    const run = importer(store);
    await run({ fileName: DEVON });
    return { store, run };
  };

  it('a corrupt zip: a Word document cut short', async () => {
    const { store, run } = await withDevon();
    const docx = await render('docx', PLAN);
    const error = await refused(store, () => run({ fileName: 'cut.docx', content: docx.subarray(0, Math.floor(docx.length / 2)) }));
    expect(error).toMatchObject({ code: 'damaged-file', status: 422 });
    expect(error.message).toMatch(/cut short or damaged; save it again from Word or Excel/);
  });

  it('a .docx with no table', async () => {
    const { store, run } = await withDevon();
    const docx = await render('docx', [{ p: 'Minutes of the crisis care partnership, 3 May 2017' }, { p: 'Nothing to report.' }]);
    const error = await refused(store, () => run({ fileName: 'minutes.docx', content: docx }));
    expect(error).toMatchObject({ code: 'no-plan-table', status: 422 });
    expect(error.message).toContain('No. / Action / Timescale / Led by');
  });

  it('a password-protected workbook', async () => {
    const { store, run } = await withDevon();
    const encrypted = await officeCrypto.encrypt(await render('xlsx', PLAN), { password: 'crisis' });
    const error = await refused(store, () => run({ fileName: 'tracker.xlsx', content: encrypted }));
    expect(error).toMatchObject({ code: 'password-protected-file', status: 415 });
    expect(error.message).toMatch(/protected with a password.*remove the password/);
  });

  it('a macro-enabled workbook', async () => {
    const { store, run } = await withDevon();
    const content = withMacros(await render('xlsx', PLAN));
    const error = await refused(store, () => run({ fileName: 'tracker.xlsm', content }));
    expect(error).toMatchObject({ code: 'macro-enabled-file', status: 415 });
    expect(error.message).toMatch(/macro-enabled Excel workbook \(\.xlsm\).*Save a copy as an Excel Workbook \(\.xlsx\)/);
  });

  it('a 50 MB file, over the limit', async () => {
    const { store, run } = await withDevon();
    const error = await refused(store, () => run({ fileName: 'huge.docx', content: Buffer.alloc(50 * 1024 * 1024, 0x50) }));
    expect(error).toMatchObject({ code: 'document-too-large', status: 413 });
    expect(error.message).toMatch(/50\.0 MB; the largest plan accepted is 32 MB/);
  });

  it('an image renamed .docx', async () => {
    const { store, run } = await withDevon();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    const error = await refused(store, () => run({ fileName: 'plan.docx', content: jpeg }));
    expect(error).toMatchObject({ code: 'not-a-plan-document', status: 415 });
    expect(error.message).toContain('"plan.docx" is a JPEG image, not an action plan');
  });

  it('a Word "Unicode text" export (UTF-16 with a byte-order mark) is read, not refused as binary', async () => {
    const store = stores.open();
    const utf8 = (await render('txt', PLAN)).toString('utf8');
    const text = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8, 'utf16le')]);
    const summary = await importer(store)({ fileName: 'anyshire.txt', content: text });
    expect(summary).toMatchObject({ format: 'text', recorded: { actions: 1 } });
    expect(summary.preview.find((r) => r.fact === 'action')).toMatchObject({ ref: '1.1', source: 'line 8' });
  });
});
