import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { asAppended, type NewEvent } from '../../events/envelope.ts';
import { collect } from '../support/collect.ts';
import { render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer } from './import-support.ts';

/**
 * Word's manual line break and a bell (a stray cell mark) in a cell, as pasted text brings them: as
 * they are in a text export, and as Excel escapes them in a workbook's XML (`_x000B_`), which
 * cannot carry them otherwise. (A Word document cannot carry them at all.)
 */
const pasted = (lineBreak: string, bell: string): FixtureBlock[] => [
  { p: 'Southshire plan, updated May 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Deadline'],
      ['1.1', `Open a crisis line${lineBreak}staffed day and night${bell}`, 'Southshire ICB', 'March 2018'],
    ],
  },
];
const IN = { txt: pasted('\u000B', '\u0007'), xlsx: pasted('_x000B_', '_x0007_') } as const;

describe('control characters in an imported document', () => {
  const stores = useSqliteStores();

  it('removes a C1 control (a byte of Windows-1252 read as Latin-1) with a warning, keeping the letters beside it', async () => {
    const store = stores.open();
    const blocks: FixtureBlock[] = [
      { p: 'Southshire plan, updated May 2018' },
      {
        table: [
          ['No.', 'Action', 'Lead', 'Deadline'],
          ['1.1', 'Open a crisis line', 'St John\u0092s Ambulance', 'March 2018'],
        ],
      },
    ];
    const summary = await importer(store)({ fileName: 'southshire.txt', content: await render('txt', blocks) });
    expect(summary.warnings.filter((w) => w.code === 'control-character').map((w) => w.message)).toEqual([
      'removed the control character U+0092',
    ]);
    const agreed = (await collect(store.readAll())).find((e) => e.type === 'ActionAgreed')!;
    expect((agreed.data as { leadOrganisations: string[] }).leadOrganisations).toEqual(['St Johns Ambulance']);
  });

  it('re-imports an unchanged document whose recorded texts still hold a C1 control, from before they were refused, writing nothing', async () => {
    const blocks: FixtureBlock[] = [
      { p: 'Southshire plan, updated May 2018' },
      {
        table: [
          ['No.', 'Action', 'Lead', 'Deadline'],
          ['1.1', 'Open a crisis line\u0080', 'St John\u0092s Ambulance', 'March 2018'],
          ['1.2', 'Train the staff', 'St Johns Ambulance', 'March 2018'],
        ],
      },
    ];
    const content = await render('txt', blocks);
    // The ledger as a release before the rule recorded the document: action 1.1's words and lead as the document holds them.
    const cleaned = stores.open();
    await importer(cleaned)({ fileName: 'southshire.txt', content });
    const older = stores.open({}, 'older.db');
    const batches = new Map<string, { stream: string; events: NewEvent[] }>();
    for (const event of await collect(cleaned.readAll())) {
      const recorded = asAppended(event);
      const data =
        event.type === 'ActionAgreed' && recorded.data.ref === '1.1'
          ? { ...recorded.data, text: 'Open a crisis line\u0080', leadOrganisations: ['St John\u0092s Ambulance'] }
          : recorded.data;
      // One append a stream: the import's batch wrote several streams under one command id.
      const key = `${recorded.commandId} ${event.stream}`;
      const batch = batches.get(key) ?? { stream: event.stream, events: [] };
      batch.events.push({ ...recorded, data });
      batches.set(key, batch);
    }
    for (const [key, { stream, events }] of batches) await older.append({ stream, events, expectedRevision: 'any', commandId: key });
    const before = await older.count();

    const again = await importer(older)({ fileName: 'southshire.txt', content });
    expect(again.recorded).toMatchObject({ leadChanges: 0 });
    expect(again.events).toBe(0);
    expect(again.warnings.map((w) => w.code)).not.toContain('plan-details-differ');
    expect(await older.count()).toBe(before);
  });

  for (const format of ['txt', 'xlsx'] as const)
    it(`reads a ${format} file's manual line break as a break and removes any other control character with a warning`, async () => {
      const store = stores.open();
      const summary = await importer(store)({ fileName: `southshire.${format}`, content: await render(format, IN[format]) });
      expect(summary.warnings.filter((w) => w.code === 'control-character').map((w) => w.message)).toEqual([
        'removed the control character U+0007',
      ]);
      const agreed = (await collect(store.readAll())).find((e) => e.type === 'ActionAgreed')!;
      // The words either side stay apart (an action's text is read as one line).
      expect((agreed.data as { text: string }).text).toBe('Open a crisis line staffed day and night');
    });
});
