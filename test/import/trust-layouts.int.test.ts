import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { dataOf, importer, planEvents } from './import-support.ts';
import { wordFile, workbookFile, workbookSheets, type MergedCell } from './trust-layouts-support.ts';

/**
 * Plans as other trusts lay them out, imported whole into a real ledger: what a person
 * reading the document would expect is what the ledger records.
 */
const HEADER = ['Ref', 'Action', 'Lead agency', 'By when', 'RAG', 'Progress update'];

/** A Word plan of actions under HEADER, dated 31 August 2017. */
const northshirePlan = (rows: MergedCell[][]) => wordFile(['Northshire action plan, position as at 31 August 2017', [HEADER, ...rows]]);

/** A recommendation merged down the rows of its two actions, in a Word table and a workbook. */
const mergedRecommendationFiles = async () => {
  const header = ['Rec no.', 'Recommendation', 'Action', 'Responsible officer', 'Deadline'];
  return {
    'plan.docx': await wordFile([
      'Eastshire serious incident action plan, updated 12 March 2019',
      [
        header,
        [
          { text: '1', rows: 2 },
          { text: 'Improve handover between wards', rows: 2 },
          'Introduce a handover tool',
          'Ward Manager',
          'June 2018',
        ],
        ['Audit handovers', 'Matron', 'Aug 2018'],
        ['2', 'Involve families', 'Appoint a family liaison officer', 'Head of Nursing', 'March 2019'],
      ],
    ]),
    'plan.xlsx': await workbookFile(
      [
        ['Eastshire serious incident action plan, updated 12 March 2019'],
        header,
        ['1', 'Improve handover between wards', 'Introduce a handover tool', 'Ward Manager', 'June 2018'],
        ['', '', 'Audit handovers', 'Matron', 'Aug 2018'],
        ['2', 'Involve families', 'Appoint a family liaison officer', 'Head of Nursing', 'March 2019'],
      ],
      ['A3:A4', 'B3:B4'],
    ),
  };
};

describe('a trust layout imported into the ledger', () => {
  const stores = useSqliteStores();

  it('does not record a footnote row under the table as an update of the last action', async () => {
    const footnote = '* RAG status as reported to the Quality Committee';
    const files = {
      'plan.docx': await northshirePlan([
        ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', 'Amber', 'Premises found.'],
        [{ text: footnote, columns: 6 }],
      ]),
      'plan.xlsx': await workbookFile(
        [
          ['Northshire action plan, position as at 31 August 2017'],
          HEADER,
          ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', 'Amber', 'Premises found.'],
          [footnote],
        ],
        ['A4:F4'],
      ),
    };
    for (const [fileName, content] of Object.entries(files)) {
      const store = stores.open({}, `${fileName}.db`);
      const summary = await importer(store)({ fileName, content, planId: 'northshire' });
      const updates = dataOf<{ narrative: string }>(await planEvents(store, 'northshire'), 'ProgressUpdateRecorded');
      expect(updates.map((u) => u.narrative)).toEqual(['Premises found.']);
      expect(summary.warnings).toContainEqual(
        expect.objectContaining({ code: 'text-outside-plan', message: expect.stringContaining(footnote) }),
      );
    }
  });

  it('records a bulleted row under the table that opens with a date or "Update" as an update, and a footnote beside it as none', async () => {
    const bulleted = ['* Update Aug 2017: 40 of 60 letters audited', '† AUG 2017 Premises signed for'];
    const footnote = '* RAG status as reported to the Quality Committee';
    const row = ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', 'Amber', 'Premises found.'];
    const files = {
      'plan.docx': await northshirePlan([row, ...[...bulleted, footnote].map((text) => [{ text, columns: 6 }])]),
      'plan.xlsx': await workbookFile(
        [['Northshire action plan, position as at 31 August 2017'], HEADER, row, ...[...bulleted, footnote].map((text) => [text])],
        ['A4:F4', 'A5:F5', 'A6:F6'],
      ),
    };
    for (const [fileName, content] of Object.entries(files)) {
      const store = stores.open({}, `${fileName}.db`);
      const summary = await importer(store)({ fileName, content, planId: 'northshire' });
      const updates = dataOf<{ narrative: string }>(await planEvents(store, 'northshire'), 'ProgressUpdateRecorded');
      expect(updates.map((u) => u.narrative)).toEqual(['Premises found.', ...bulleted]);
      expect(summary.warnings.filter((w) => w.code === 'text-outside-plan').map((w) => w.message)).toEqual([
        expect.stringContaining(footnote),
      ]);
    }
  });

  it('records "Trust / Police" in a lead cell as two joint leads, not one organisation of that name', async () => {
    const store = stores.open();
    const content = await northshirePlan([
      ['1.1', 'Agree a section 136 protocol', 'Northshire Trust / Northshire Police', 'Aug 2017', 'Amber', 'Drafted.'],
      ['1.2', 'Share crisis plans', 'Northshire CCG / Northshire Council with L/A', 'Aug 2017', 'Amber', 'Scoped.'],
    ]);
    await importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' });
    const agreed = dataOf<{ ref: string; leadOrganisations: string[]; partnerOrganisations: string[] }>(
      await planEvents(store, 'northshire'),
      'ActionAgreed',
    );
    expect(agreed.map((a) => [a.ref, a.leadOrganisations, a.partnerOrganisations])).toEqual([
      ['1.1', ['Northshire Trust', 'Northshire Police'], []],
      // "L/A" is one name (Local Authorities), not two.
      ['1.2', ['Northshire CCG', 'Northshire Council'], ['Local Authorities']],
    ]);
  });

  it('parts leads at a spaced slash and at "and/or", never at a slash inside a name', async () => {
    const store = stores.open();
    const row = (ref: string, lead: string) => [ref, 'Agree a section 136 protocol', lead, 'Aug 2017', 'Amber', 'Drafted.'];
    const content = await wordFile([
      'Northshire action plan, position as at 31 August 2017',
      [
        HEADER,
        row('1.1', 'Crisis Resolution/Home Treatment Team'),
        row('1.2', 'Drug/Alcohol Action Team'),
        row('1.3', 'NHS England/Improvement'),
        row('1.4', 'Northshire CCG and/or Local Authority'),
        row('1.5', 'Northshire CCG / Local Authority'),
        row('1.6', 'Northshire Trust / Northshire Police'),
      ],
    ]);
    await importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' });
    const agreed = dataOf<{ ref: string; leadOrganisations: string[] }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(agreed.map((a) => [a.ref, a.leadOrganisations])).toEqual([
      ['1.1', ['Crisis Resolution/Home Treatment Team']],
      ['1.2', ['Drug/Alcohol Action Team']],
      ['1.3', ['NHS England/Improvement']],
      ['1.4', ['Northshire CCG', 'Local Authority']],
      ['1.5', ['Northshire CCG', 'Local Authority']],
      ['1.6', ['Northshire Trust', 'Northshire Police']],
    ]);
  });

  it('records "COMPLETE – subsumed into ACP" in a status cell as a subsumption into that programme, as an update saying so is', async () => {
    const store = stores.open();
    const content = await northshirePlan([['1.1', 'Street triage', 'Northshire Police', 'June 2017', 'COMPLETE – subsumed into ACP', '']]);
    const summary = await importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' });
    const events = await planEvents(store, 'northshire');
    expect(dataOf(events, 'ActionCompleted')).toEqual([]);
    expect(dataOf(events, 'ActionSubsumed')).toEqual([expect.objectContaining({ ref: '1.1', into: { kind: 'programme', name: 'ACP' } })]);
    expect(summary.warnings).toContainEqual(expect.objectContaining({ code: 'complete-and-subsumed' }));
  });

  it('numbers the actions under a recommendation cell merged down their rows 1.1, 1.2, not 1.1 twice', async () => {
    const files = await mergedRecommendationFiles();
    for (const [fileName, content] of Object.entries(files)) {
      const store = stores.open({}, `${fileName}.db`);
      const summary = await importer(store)({ fileName, content, planId: 'eastshire' });
      expect(summary.warnings.filter((w) => w.blocking)).toEqual([]);
      const agreed = dataOf<{ ref: string; text: string; recommendationRefs: string[] }>(
        await planEvents(store, 'eastshire'),
        'ActionAgreed',
      );
      expect(agreed.map((a) => [a.ref, a.text, a.recommendationRefs])).toEqual([
        ['1.1', 'Introduce a handover tool', ['1']],
        ['1.2', 'Audit handovers', ['1']],
        ['2.1', 'Appoint a family liaison officer', ['2']],
      ]);
    }
  });

  it('names the row an action under a merged recommendation cell came from, not the row the merge starts in', async () => {
    const files = await mergedRecommendationFiles();
    const expected = { 'plan.docx': 'table 1, row 3, cell 3', 'plan.xlsx': 'sheet "Action plan", cell C4' };
    for (const [fileName, content] of Object.entries(files)) {
      const store = stores.open({}, `${fileName}.db`);
      await importer(store)({ fileName, content, planId: 'eastshire' });
      const second = (await planEvents(store, 'eastshire')).find((e) => e.type === 'ActionAgreed' && e.data.ref === '1.2');
      expect(second?.provenance).toMatchObject({ location: expected[fileName as keyof typeof expected] });
    }
  });

  it('reads a financial year or quarter written with two-digit years, "Q4 18/19", "FY 18/19" and "2017-18", as the date it ends', async () => {
    const store = stores.open();
    const content = await northshirePlan([
      ['1.1', 'Open a crisis café', 'Northshire CCG', 'Q4 18/19', 'Amber', 'Premises found.'],
      ['1.2', 'Train staff', 'Northshire CCG', '2017-18', 'Amber', 'Two cohorts trained.'],
      ['1.3', 'Review places of safety', 'Northshire CCG', 'FY 18/19', 'Amber', 'Scoped.'],
    ]);
    const summary = await importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' });
    expect(summary.warnings.filter((w) => w.blocking)).toEqual([]);
    const agreed = dataOf<{ ref: string; due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(agreed.map((a) => [a.ref, a.due])).toEqual([
      ['1.1', { kind: 'date', date: '2019-03', wording: 'Q4 18/19' }],
      ['1.2', { kind: 'date', date: '2018-03', wording: '2017-18' }],
      ['1.3', { kind: 'date', date: '2019-03', wording: 'FY 18/19' }],
    ]);
  });

  it('refuses a bare "12/13", which may be a month as well as a financial year, writing nothing', async () => {
    for (const timescale of ['12/13', '01/02', '08/09']) {
      const store = stores.open();
      const content = await northshirePlan([['1.1', 'Open a crisis café', 'Northshire CCG', timescale, 'Amber', 'Premises found.']]);
      await expect(importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' })).rejects.toMatchObject({
        code: 'import-has-blocking-warnings',
        message: expect.stringContaining(`"${timescale}" mentions a date`),
      });
      expect(await store.count()).toBe(0);
    }
  });

  it('reads "2011-12", a real month, as that month, as it always has, and warns that the financial year would end in March', async () => {
    const store = stores.open();
    const content = await northshirePlan([
      ['1.1', 'Open a crisis café', 'Northshire CCG', '2011-12', 'Amber', 'Premises found.'],
      ['1.2', 'Train staff', 'Northshire CCG', '2010-11', 'Amber', 'Two cohorts trained.'],
      ['1.3', 'Review places of safety', 'Northshire CCG', '2012-13', 'Amber', 'Scoped.'],
    ]);
    const summary = await importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' });
    expect(summary.warnings.filter((w) => w.blocking)).toEqual([]);
    expect(summary.warnings.filter((w) => w.code === 'timescale-may-be-financial-year').map((w) => w.message)).toEqual([
      'action 1.1: "2011-12" read as the month 2011-12; if the plan meant the financial year 2011/12, it ends in March 2012 (2012-03)',
      'action 1.2: "2010-11" read as the month 2010-11; if the plan meant the financial year 2010/11, it ends in March 2011 (2011-03)',
    ]);
    const agreed = dataOf<{ ref: string; due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(agreed.map((a) => [a.ref, a.due])).toEqual([
      ['1.1', { kind: 'date', date: '2011-12', wording: '2011-12' }],
      ['1.2', { kind: 'date', date: '2010-11', wording: '2010-11' }],
      ['1.3', { kind: 'date', date: '2013-03', wording: '2012-13' }],
    ]);
  });

  it('reads "02/2019" as February 2019, in a timescale and at the start of an update', async () => {
    const store = stores.open();
    const content = await wordFile([
      'Eastshire action plan, updated 12 March 2019',
      [HEADER, ['1.1', 'Introduce a handover tool', 'Ward Manager', '06/2019', 'Amber', '02/2019 Tool piloted on two wards.']],
    ]);
    const summary = await importer(store)({ fileName: 'plan.docx', content, planId: 'eastshire' });
    expect(summary.warnings.filter((w) => w.blocking)).toEqual([]);
    const events = await planEvents(store, 'eastshire');
    expect(dataOf(events, 'ActionAgreed')).toEqual([
      expect.objectContaining({ due: { kind: 'date', date: '2019-06', wording: '06/2019' } }),
    ]);
    const update = events.find((e) => e.type === 'ProgressUpdateRecorded');
    expect([update?.data, update?.effectiveOn]).toEqual([
      expect.objectContaining({ narrative: 'Tool piloted on two wards.' }),
      { date: '2019-02', precision: 'month' },
    ]);
  });

  it('reads no month in a count written with a point, "3.1500 leaflets", and still reads "02/2019" as February 2019', async () => {
    const store = stores.open();
    const content = await wordFile([
      'Eastshire action plan, updated 12 March 2019',
      [
        HEADER,
        ['1.1', 'Send crisis leaflets', 'Ward Manager', 'June 2019', 'Amber', '3.1500 leaflets delivered'],
        ['1.2', 'Train ward staff', 'Ward Manager', 'June 2019', 'Amber', '1.2000 staff trained'],
        ['1.3', 'Introduce a handover tool', 'Ward Manager', 'June 2019', 'Amber', '02/2019 Tool piloted on two wards.'],
      ],
    ]);
    await importer(store)({ fileName: 'plan.docx', content, planId: 'eastshire' });
    const updates = (await planEvents(store, 'eastshire')).filter((e) => e.type === 'ProgressUpdateRecorded');
    expect(updates.map((e) => [(e.data as { narrative: string }).narrative, e.effectiveOn])).toEqual([
      ['3.1500 leaflets delivered', { date: '2019-03-12', precision: 'day' }],
      ['1.2000 staff trained', { date: '2019-03-12', precision: 'day' }],
      ['Tool piloted on two wards.', { date: '2019-02', precision: 'month' }],
    ]);
  });

  it('records a timescale that gives only its revision ("Revised to March 2018") as due then, wording kept, and says so', async () => {
    const store = stores.open();
    const content = await northshirePlan([
      ['1.1', 'Open a crisis café', 'Northshire CCG', 'Revised to March 2018', 'Amber', 'Premises found.'],
    ]);
    const summary = await importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' });
    expect(summary.warnings).toContainEqual(
      expect.objectContaining({ code: 'timescale-revised-without-original', message: expect.stringContaining('recorded as due 2018-03') }),
    );
    const [agreed] = dataOf<{ due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(agreed!.due).toEqual({ kind: 'date', date: '2018-03', wording: 'Revised to March 2018' });
  });

  it('refuses a timescale naming a month with a two-digit year it cannot read ("Sept 17 or when funded"), writing nothing', async () => {
    const store = stores.open();
    const content = await northshirePlan([
      ['1.1', 'Open a crisis café', 'Northshire CCG', 'Sept 17 or when funded', 'Amber', 'Premises found.'],
    ]);
    await expect(importer(store)({ fileName: 'plan.docx', content, planId: 'northshire' })).rejects.toMatchObject({
      code: 'import-has-blocking-warnings',
      message: expect.stringMatching(/table 1, row 2, cell 4: .*"Sept 17 or when funded"/),
    });
    expect(await store.count()).toBe(0);
  });

  it('records a RAG rating changed in a later version even when the progress text beside it is unchanged, and only once', async () => {
    const store = stores.open();
    const run = importer(store);
    const version = (date: string, rating: string) =>
      wordFile([
        `Northshire action plan, position as at ${date}`,
        [HEADER, ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', rating, 'Premises found.']],
      ]);
    await run({ fileName: 'august.docx', content: await version('31 August 2017', 'Amber'), planId: 'northshire' });
    const september = await version('30 September 2017', 'Green');
    const summary = await run({ fileName: 'september.docx', content: september, planId: 'northshire' });
    expect(summary.recorded.updates).toBe(1);
    const updates = (await planEvents(store, 'northshire')).filter((e) => e.type === 'ProgressUpdateRecorded');
    expect(updates.map((e) => [e.data, e.effectiveOn.date])).toEqual([
      [expect.objectContaining({ narrative: 'Premises found.', reportedRag: { rating: 'Amber' } }), '2017-08-31'],
      [expect.objectContaining({ narrative: 'RAG status reported in the plan: Green', reportedRag: { rating: 'Green' } }), '2017-09-30'],
    ]);
    expect((await run({ fileName: 'september.docx', content: september, planId: 'northshire' })).events).toBe(0);
  });

  it('records a rating that moves back over unchanged progress text, and none from an older version imported after', async () => {
    const store = stores.open();
    const run = importer(store);
    const version = (date: string, rating: string) =>
      wordFile([
        `Northshire action plan, position as at ${date}`,
        [HEADER, ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', rating, 'Premises found.']],
      ]);
    await run({ fileName: 'august.docx', content: await version('31 August 2017', 'Amber'), planId: 'northshire' });
    const september = await version('30 September 2017', 'Green');
    await run({ fileName: 'september.docx', content: september, planId: 'northshire' });
    const october = await run({ fileName: 'october.docx', content: await version('31 October 2017', 'Amber'), planId: 'northshire' });
    expect(october.recorded.updates).toBe(1);
    const before = await store.count();
    expect((await run({ fileName: 'september.docx', content: september, planId: 'northshire' })).events).toBe(0);
    expect(await store.count()).toBe(before);
    const updates = (await planEvents(store, 'northshire')).filter((e) => e.type === 'ProgressUpdateRecorded');
    expect(updates.map((e) => [e.data, e.effectiveOn.date])).toEqual([
      [expect.objectContaining({ narrative: 'Premises found.', reportedRag: { rating: 'Amber' } }), '2017-08-31'],
      [expect.objectContaining({ narrative: 'RAG status reported in the plan: Green', reportedRag: { rating: 'Green' } }), '2017-09-30'],
      [expect.objectContaining({ narrative: 'RAG status reported in the plan: Amber', reportedRag: { rating: 'Amber' } }), '2017-10-31'],
    ]);
  });

  it('lists in the preview a change of leads and a new rating it would record, as what it would record', async () => {
    const store = stores.open();
    const run = importer(store);
    const version = (date: string, rating: string, lead: string) =>
      wordFile([
        `Northshire action plan, position as at ${date}`,
        [HEADER, ['1.1', 'Open a crisis café', lead, 'Aug 2017', rating, 'Premises found.']],
      ]);
    await run({ fileName: 'august.docx', content: await version('31 August 2017', 'Amber', 'Northshire CCG'), planId: 'northshire' });
    const later = await version('30 September 2017', 'Green', 'Northshire CCG with Northshire Police');
    const { preview } = await run({ fileName: 'september.docx', content: later, planId: 'northshire', dryRun: true });
    expect(preview.filter((row) => row.record === 'new')).toEqual([
      expect.objectContaining({
        fact: 'lead change',
        ref: '1.1',
        lead: 'Northshire CCG',
        text: 'with Northshire Police',
        source: 'table 1, row 2, cell 1',
      }),
      expect.objectContaining({ fact: 'update', ref: '1.1', text: 'RAG status reported in the plan: Green', status: 'reported Green' }),
    ]);
  });

  it('reads a column headed "Rec" beside "No." as the number of the recommendation each action answers', async () => {
    const store = stores.open();
    const content = await workbookFile([
      ['Westshire serious incident action plan, updated 30/09/2018'],
      ['Rec', 'Recommendation', 'No.', 'Action', 'Owner', 'Target date'],
      ['1', 'Improve discharge planning', '1.1', 'Audit discharge letters', 'Head of Nursing', 'August 2018'],
      ['2', 'Share information with the police', '2.1', 'Information sharing agreement', 'Westshire Police', 'Q3 2018/19'],
    ]);
    const summary = await importer(store)({ fileName: 'plan.xlsx', content, planId: 'westshire' });
    expect(summary.warnings.filter((w) => w.blocking)).toEqual([]);
    const events = await planEvents(store, 'westshire');
    expect(dataOf<{ ref: string; text: string }>(events, 'RecommendationRecorded').map((r) => [r.ref, r.text])).toEqual([
      ['1', 'Improve discharge planning'],
      ['2', 'Share information with the police'],
    ]);
    expect(dataOf<{ ref: string; recommendationRefs: string[] }>(events, 'ActionAgreed').map((a) => [a.ref, a.recommendationRefs])).toEqual(
      [
        ['1.1', ['1']],
        ['2.1', ['2']],
      ],
    );
  });

  it('keeps both ratings of a row with a RAG and a Status column: the colour as the rating, the word as an update', async () => {
    const store = stores.open();
    const content = await wordFile([
      'Westshire action plan, updated 30/09/2018',
      [
        ['No.', 'Action', 'Owner', 'Target date', 'RAG', 'Status', 'Progress update'],
        ['1.1', 'Audit discharge letters', 'Head of Nursing', 'Dec 2018', 'Amber', 'In progress', 'Audit half done.'],
        ['1.2', 'Train staff', 'Medical Director', 'Dec 2018', 'Red', 'Not started', ''],
      ],
    ]);
    await importer(store)({ fileName: 'plan.docx', content, planId: 'westshire' });
    const updates = dataOf<{ target: { ref: string }; narrative: string; reportedRag?: { rating: string } }>(
      await planEvents(store, 'westshire'),
      'ProgressUpdateRecorded',
    );
    expect(updates.map((u) => [u.target.ref, u.narrative, u.reportedRag?.rating])).toEqual([
      ['1.1', 'Audit half done.', undefined],
      ['1.1', 'Status reported in the plan: In progress', 'Amber'],
      ['1.2', 'Status reported in the plan: Not started', 'Red'],
    ]);
  });
  it('records the last of a RAG column per quarter as the rating, and a Status word beside it as an update', async () => {
    const store = stores.open();
    const content = await wordFile([
      'Westshire action plan, updated 30/09/2018',
      [
        ['No.', 'Action', 'Owner', 'Target date', 'Q1 RAG', 'Q2 RAG', 'Status', 'Progress update'],
        ['1.1', 'Audit discharge letters', 'Head of Nursing', 'Dec 2018', 'Red', 'Green', '', 'Audit done.'],
        ['1.2', 'Train staff', 'Medical Director', 'Dec 2018', 'Red', 'Amber', 'In progress', ''],
        ['1.3', 'Open a crisis café', 'Westshire CCG', 'Dec 2018', 'Amber', '', '', ''],
      ],
    ]);
    await importer(store)({ fileName: 'plan.docx', content, planId: 'westshire', acceptWarnings: true });
    const updates = dataOf<{ target: { ref: string }; narrative: string; reportedRag?: { rating: string } }>(
      await planEvents(store, 'westshire'),
      'ProgressUpdateRecorded',
    );
    expect(updates.map((u) => [u.target.ref, u.narrative, u.reportedRag?.rating])).toEqual([
      ['1.1', 'Audit done.', 'Green'],
      ['1.2', 'Status reported in the plan: In progress', 'Amber'],
      ['1.3', 'RAG status reported in the plan: Amber', 'Amber'],
    ]);
  });

  it("reads a RAG key on a sheet of its own, in a table of its own, or under the plan's rows as the plan's legend, not as actions", async () => {
    const header = ['No.', 'Action', 'Owner', 'Target date', 'RAG', 'Progress update'];
    const actions = [
      ['1.1', 'Audit discharge letters', 'Head of Nursing', 'Dec 2018', 'Amber', 'Audit half done.'],
      ['1.2', 'Train staff', 'Medical Director', 'Dec 2018', 'Green', 'All staff trained.'],
    ];
    const key = [
      ['RAG', 'Meaning'],
      ['Red', 'Not started or at risk'],
      ['Amber', 'In progress'],
      ['Green', 'Complete'],
    ];
    const title = 'Westshire action plan, updated 30/09/2018';
    const wide = (row: string[]) => [...row, ...Array.from({ length: header.length - row.length }, () => '')];
    const files = {
      'key-sheet.xlsx': await workbookSheets({ 'Action plan': [[title], header, ...actions], 'RAG key': key }),
      'key-below.xlsx': await workbookFile([[title], header, ...actions, [], ...key]),
      'key-below.docx': await wordFile([title, [header, ...actions, ...key.map(wide)]]),
      'key-table.docx': await wordFile([title, [header, ...actions], 'Key', key]),
    };
    for (const [fileName, content] of Object.entries(files)) {
      const store = stores.open();
      const summary = await importer(store)({ fileName, content, planId: 'westshire' });
      expect(
        summary.warnings.filter((w) => w.blocking),
        fileName,
      ).toEqual([]);
      const events = await planEvents(store, 'westshire');
      const [plan] = dataOf<{ ragLegend: unknown }>(events, 'PlanRegistered');
      expect(plan!.ragLegend, fileName).toEqual([
        { rating: 'Red', meaning: 'Not started or at risk' },
        { rating: 'Amber', meaning: 'In progress' },
        { rating: 'Green', meaning: 'Complete' },
      ]);
      expect(
        dataOf<{ ref: string }>(events, 'ActionAgreed').map((a) => a.ref),
        fileName,
      ).toEqual(['1.1', '1.2']);
      // The key says Green is complete: the row rated Green is a completion, as with a legend above the table.
      expect(
        dataOf<{ ref: string }>(events, 'ActionCompleted').map((a) => a.ref),
        fileName,
      ).toEqual(['1.2']);
    }
  });

  it('keeps as actions the rows of a plan whose first column is its RAG, and reads no count of a summary as a legend', async () => {
    const title = 'Westshire action plan, updated 30/09/2018';
    const ragFirst = ['RAG', 'Action', 'Owner', 'Target date', 'Progress update'];
    const rows = [
      ['Amber', 'Audit discharge letters', 'Head of Nursing', 'Dec 2018', 'Audit half done.'],
      // A new action, its owner and date not yet filled in: a colour and one other cell, as a key's row has.
      ['Red', 'Train staff', '', '', ''],
    ];
    const header = ['No.', 'Action', 'Owner', 'Target date', 'RAG', 'Progress update'];
    const numbered = [['1.1', 'Audit discharge letters', 'Head of Nursing', 'Dec 2018', 'Amber', 'Audit half done.']];
    const counts = [
      ['Red', '0'],
      ['Amber', '1'],
      ['Green', '0'],
    ];
    const files = {
      'rag-first.docx': { content: await wordFile([title, [ragFirst, ...rows]]), actions: ['Audit discharge letters', 'Train staff'] },
      'rag-first.xlsx': { content: await workbookFile([[title], ragFirst, ...rows]), actions: ['Audit discharge letters', 'Train staff'] },
      'summary-sheet.xlsx': {
        content: await workbookSheets({ 'Action plan': [[title], header, ...numbered], Summary: counts }),
        actions: ['Audit discharge letters'],
      },
    };
    for (const [fileName, { content, actions }] of Object.entries(files)) {
      const store = stores.open({}, `${fileName}.db`);
      await importer(store)({ fileName, content, planId: 'westshire', acceptWarnings: true });
      const events = await planEvents(store, 'westshire');
      expect(dataOf<{ ragLegend: unknown }>(events, 'PlanRegistered')[0]!.ragLegend, fileName).toEqual([]);
      expect(
        dataOf<{ text: string }>(events, 'ActionAgreed').map((a) => a.text),
        fileName,
      ).toEqual(actions);
    }
  });

  it('says, of a number that starts the numbering again, that the file may hold a second plan to import on its own', async () => {
    const content = await wordFile([
      'Northshire action plan, position as at 31 August 2017',
      [HEADER, ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', 'Amber', 'Premises found.']],
      'Southshire action plan, position as at 31 August 2017',
      [HEADER, ['1.1', 'Train call handlers', 'Southshire Police', 'Sept 2017', 'Green', 'Done.']],
    ]);
    const { warnings } = await importer(stores.open())({ fileName: 'two-plans.docx', content, dryRun: true });
    expect(warnings.find((w) => w.code === 'duplicate-number')?.message).toMatch(
      /^action 1\.1 appears twice; .* the numbering starts again here: if the file holds a second plan/,
    );
  });
});
