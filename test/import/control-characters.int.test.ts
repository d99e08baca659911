import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { asAppended, type NewEvent } from '../../events/envelope.ts';
import { toCsv, toJson } from '../../src/import/csv-export.ts';
import { exportPlan } from '../../src/import/export-plan.ts';
import { readLedgerPlan } from '../../src/import/ledger-plan.ts';
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

  it('removes a bidirectional override from a Word cell with a warning naming it, so the text reads in its own order', async () => {
    const store = stores.open();
    const blocks: FixtureBlock[] = [
      { p: 'Southshire plan, updated May 2018' },
      {
        table: [
          ['No.', 'Action', 'Lead', 'Deadline'],
          ['1.1', 'Open a crisis line\u202E', 'Southshire ICB\u2066', 'March 2018'],
        ],
      },
    ];
    const summary = await importer(store)({ fileName: 'southshire.docx', content: await render('docx', blocks) });
    expect(summary.warnings.filter((w) => w.code === 'control-character').map((w) => w.message)).toEqual([
      'removed U+202E, a bidirectional control that reorders the text shown after it',
      'removed U+2066, a bidirectional control that reorders the text shown after it',
    ]);
    const agreed = (await collect(store.readAll())).find((e) => e.type === 'ActionAgreed')!.data as {
      text: string;
      leadOrganisations: string[];
    };
    expect([agreed.text, agreed.leadOrganisations]).toEqual(['Open a crisis line', ['Southshire ICB']]);
  });

  /** Southshire's plan with action 1.1's lead given as `lead`. */
  const southshire = (lead: string): Promise<Buffer> =>
    render('txt', [
      { p: 'Southshire plan, updated May 2018' },
      {
        table: [
          ['No.', 'Action', 'Lead', 'Deadline'],
          ['1.1', 'Open a crisis line\u0080', lead, 'March 2018'],
          ['1.2', 'Train the staff', 'St Johns Ambulance', 'March 2018'],
        ],
      },
    ]);

  /** A ledger as a release before DEL and C1 were refused recorded `content`: action 1.1's words and lead as it holds them. */
  const recordedBeforeTheRule = async (content: Buffer) => {
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
    return older;
  };

  it('re-imports an unchanged document whose recorded texts still hold a C1 control, from before they were refused, writing nothing', async () => {
    const content = await southshire('St John\u0092s Ambulance');
    const older = await recordedBeforeTheRule(content);
    const before = await older.count();
    const again = await importer(older)({ fileName: 'southshire.txt', content });
    expect(again.recorded).toMatchObject({ leadChanges: 0 });
    expect(again.events).toBe(0);
    expect(again.warnings.map((w) => w.code)).not.toContain('plan-details-differ');
    expect(await older.count()).toBe(before);

    // The plan as a record (CSV or JSON holds the characters as they are): compared as recorded, it writes nothing either.
    const planId = again.planId;
    for (const [fileName, text] of [
      ['southshire.json', toJson(exportPlan((await readLedgerPlan(older, planId)).facts))],
      ['southshire.csv', toCsv(exportPlan((await readLedgerPlan(older, planId)).facts))],
    ] as const) {
      const record = await importer(older)({ fileName, content: text, planId });
      expect(record.events, fileName).toBe(0);
    }
    expect(await older.count()).toBe(before);
  });

  it("stops at the gate a change of an action's organisations that would record a recorded name without its C1 control", async () => {
    const content = await southshire('St John\u0092s Ambulance');
    const older = await recordedBeforeTheRule(content);
    const { planId } = await importer(older)({ fileName: 'southshire.txt', content, dryRun: true });
    const before = await older.count();
    const partnered = await southshire('St John\u0092s Ambulance with Dorset Police');
    const dry = await importer(older)({ fileName: 'partnered.txt', content: partnered, planId, dryRun: true });
    const warning = dry.warnings.find((w) => w.code === 'recorded-name-not-kept');
    expect(warning?.blocking).toBe(true);
    expect(warning?.message).toContain('"St John<U+0092>s Ambulance"');
    expect(dry.gate.passes).toBe(false);
    await expect(importer(older)({ fileName: 'partnered.txt', content: partnered, planId })).rejects.toThrow(
      /recorded-name-not-kept|control characters/,
    );
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
