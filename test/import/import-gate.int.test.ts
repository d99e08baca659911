import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { ImportError } from '../../src/import/import-error.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { DEVON, DORSET, importer, NOW, OPERATOR } from './import-support.ts';

/** A plan with a column nobody knows and a date that does not exist: both mean facts would be lost. */
const FLAWED: FixtureBlock[] = [
  { p: 'Southshire plan, updated May 2018' },
  {
    table: [
      ['Theme', 'No.', 'Action', 'Lead', 'Deadline'],
      ['Access', '1.1', 'Open a crisis line', 'Southshire ICB', 'March 2018'],
      ['', '1.2', 'Map services', 'Southshire ICB', '30 February 2018'],
    ],
  },
];

const form = async (file: Buffer, fileName: string) => {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(file)]), fileName);
  const request = new Request('http://localhost/imports', { method: 'POST', body: data });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
};

describe('the gate before writing', () => {
  const stores = useSqliteStores();

  it('refuses an import whose warnings mean facts were lost, naming each with its cell and the flag that accepts them', async () => {
    const store = stores.open();
    const error = await importer(store)({ fileName: 'southshire.docx', content: await render('docx', FLAWED) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'import-has-blocking-warnings', status: 422 });
    expect((error as Error).message).toMatch(/table 1, row 1, cell 1: the column headed "Theme"/);
    expect((error as Error).message).toMatch(/table 1, row 3, cell 5: .*30 February 2018/);
    expect((error as Error).message).toContain('--accept-warnings');
    expect(await store.count()).toBe(0);
  });

  it('previews the same import on a dry run, marking what blocks it, and writes it when the warnings are accepted', async () => {
    const store = stores.open();
    const run = importer(store);
    const content = await render('xlsx', FLAWED);
    const dry = await run({ fileName: 'southshire.xlsx', content, dryRun: true });
    expect(dry.gate).toEqual({ blocking: 3, informational: 1, passes: false, accepted: false });
    expect(dry.warnings.filter((w) => w.blocking).map((w) => [w.code, w.location])).toEqual([
      ['unknown-column', 'sheet "Table 1", cell A2'],
      ['unknown-column', 'sheet "Table 1", cell A3'],
      ['impossible-date', 'sheet "Table 1", cell E4'],
    ]);
    expect(await store.count()).toBe(0);
    const accepted = await run({ fileName: 'southshire.xlsx', content, acceptWarnings: true });
    expect(accepted.gate).toMatchObject({ passes: true, accepted: true });
    expect(accepted.recorded).toMatchObject({ plans: 1, actions: 2 });
    expect(await store.count()).toBe(accepted.events);
  });

  it('refuses a CSV with a column the format does not have, as any column it does not know, and writes it when accepted', async () => {
    const store = stores.open();
    const run = importer(store);
    // "deadline" is not the format's "due": its dates would be lost.
    const content = [
      'type,ref,text,timescale,leads,date,deadline',
      'plan,southshire,A plan,,Southshire ICB,2017-08,',
      'action,1,Map services,March 2018,Southshire ICB,2017-08,2018-03',
      '',
    ].join('\n');
    const error = await run({ fileName: 'southshire.csv', content }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'import-has-blocking-warnings', status: 422 });
    expect((error as Error).message).toContain('column "deadline" is not part of the format and was not imported');
    expect(await store.count()).toBe(0);
    const accepted = await run({ fileName: 'southshire.csv', content, acceptWarnings: true });
    expect(accepted.warnings.filter((w) => w.blocking).map((w) => w.code)).toEqual(['csv-unknown-column']);
    expect(accepted.recorded).toMatchObject({ plans: 1, actions: 1 });
  });

  it('lets the seeds through without the flag: every warning they raise is informational', async () => {
    const store = stores.open();
    for (const fileName of [DORSET, DEVON]) {
      const summary = await importer(store)({ fileName });
      expect(summary.gate).toMatchObject({ blocking: 0, passes: true, accepted: false });
      expect(summary.events).toBeGreaterThan(0);
    }
  });

  it('does not let --accept-warnings date an undated document', async () => {
    const store = stores.open();
    const undated: FixtureBlock[] = [
      {
        table: [
          ['No.', 'Action', 'Lead'],
          ['1.1', 'Open a crisis line', 'Southshire ICB'],
        ],
      },
    ];
    const run = importer(store);
    const content = await render('docx', undated);
    await expect(run({ fileName: 'undated.docx', content, acceptWarnings: true })).rejects.toMatchObject({ code: 'document-undated' });
    expect(await store.count()).toBe(0);
    const dated = await run({ fileName: 'undated.docx', content, effectiveOn: '2018-05' });
    expect(dated.preview.find((r) => r.fact === 'action')).toMatchObject({ ref: '1.1', effectiveOn: '2018-05', record: 'new' });
  });

  it('answers over HTTP: 422 with the blocking warnings, a 200 preview on a dry run, 201 with acceptWarnings=true', async () => {
    const store = stores.open();
    const app = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    const upload = await form(await render('docx', FLAWED), 'southshire.docx');
    const refused = await app.inject({ method: 'POST', url: '/imports', ...upload });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      code: 'import-has-blocking-warnings',
      warnings: [{ code: 'unknown-column', location: 'table 1, row 1, cell 1' }, {}, {}],
    });
    expect(await store.count()).toBe(0);
    const dry = await app.inject({ method: 'POST', url: '/imports?dryRun=true', ...upload });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, format: 'docx', gate: { blocking: 3, passes: false } });
    expect(dry.json().preview).toContainEqual(
      expect.objectContaining({ fact: 'action', ref: '1.2', due: '30 February 2018', record: 'new' }),
    );
    expect(await store.count()).toBe(0);
    const accepted = await app.inject({ method: 'POST', url: '/imports?acceptWarnings=true', ...upload });
    expect(accepted.statusCode).toBe(201);
    expect(await store.count()).toBe(accepted.json().events);
    await app.close();
  });
});

describe('one document, one plan', () => {
  const stores = useSqliteStores();

  it('refuses a file already imported under another plan id, naming that plan, and writes nothing', async () => {
    const store = stores.open();
    const run = importer(store);
    await run({ fileName: DEVON });
    const before = await store.count();
    const error = await run({ fileName: DEVON, planId: 'devon-again' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'document-already-imported', status: 409 });
    expect((error as Error).message).toContain('"recommendation-actions-progress-update-2022"');
    await expect(run({ fileName: DEVON, planId: 'devon-again', dryRun: true })).rejects.toMatchObject({
      code: 'document-already-imported',
    });
    expect(await store.count()).toBe(before);
  });
});

describe('re-importing Word and Excel originals', () => {
  const stores = useSqliteStores();
  const PLAN = (extra: FixtureBlock[] = []): FixtureBlock[] => [
    { p: 'Anyshire crisis care action plan' },
    { p: 'Updated March 2016' },
    {
      table: [
        ['No.', 'Action', 'Led by', 'Timescale', 'Progress'],
        ['1.1', 'Open a crisis café', 'Anyshire County Council', 'December 2015', 'FEB 2016 Premises found.'],
        ['1.2', 'Train staff', 'Dorset Police', 'March 2016', ''],
      ],
    },
    ...extra,
  ];

  for (const format of ['docx', 'xlsx'] as const)
    it(`writes nothing for the same ${format} again, and only what changed for a later version`, async () => {
      const store = stores.open();
      const run = importer(store);
      const first = await run({ fileName: `anyshire.${format}`, content: await render(format, PLAN()) });
      const count = await store.count();
      expect(count).toBe(first.events);
      const again = await run({ fileName: `anyshire.${format}`, content: await render(format, PLAN()) });
      expect(again.events).toBe(0);
      expect(again.preview.filter((r) => r.record === 'new')).toEqual([]);
      expect(await store.count()).toBe(count);
      const later: FixtureBlock[] = [
        { p: 'Anyshire crisis care action plan' },
        { p: 'Updated June 2016' },
        {
          table: [
            ['No.', 'Action', 'Led by', 'Timescale', 'Progress'],
            [
              '1.1',
              'Open a crisis café',
              'Anyshire County Council',
              'December 2015',
              'FEB 2016 Premises found.\nMAY 2016 The café is open.',
            ],
            ['1.2', 'Train staff', 'Dorset Police', 'March 2016\nRevised to September 2016', ''],
          ],
        },
      ];
      const second = await run({ fileName: `anyshire-june.${format}`, content: await render(format, later), planId: first.planId });
      expect(second.recorded).toMatchObject({ plans: 0, actions: 0, updates: 1, revisions: 1 });
      expect(await store.count()).toBe(count + 2);
    });
});
