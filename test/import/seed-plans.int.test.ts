import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { dataOf, DEVON, DORSET, importer, NOW, ofType, OPERATOR, planEvents, seed, sha256 } from './import-support.ts';

/**
 * The two published plans, imported through the decider into a real SQLite ledger.
 * Every expected figure below was established by reading the documents by hand.
 */
describe('importing the Dorset Crisis Care Concordat action plan', () => {
  const stores = useSqliteStores();
  const DORSET_ID = 'dorset-crisis-care-concordat-action-plan';

  it('records its 4 sections, 14 actions, 22 updates, 1 revision, 5 completions, 1 subsumption and 3 links', async () => {
    const store = stores.open();
    const summary = await importer(store)({ fileName: DORSET });
    expect(summary.recorded).toEqual({
      plans: 1,
      sections: 4,
      recommendations: 0,
      actions: 14,
      updates: 22,
      revisions: 1,
      completions: 5,
      subsumptions: 1,
      withdrawals: 0,
      links: 3,
      leadChanges: 0,
    });
    const events = await planEvents(store, DORSET_ID);
    expect(events).toHaveLength(1 + 4 + 14 + 22 + 1 + 5 + 1);
    expect(await store.count()).toBe(events.length);
    expect(dataOf(events, 'SectionAdded')).toEqual([
      { sectionRef: '1', title: 'Access to Support Before Crisis' },
      { sectionRef: '2', title: 'Urgent and Emergency Access to Crisis Care' },
      { sectionRef: '3', title: 'Right Quality of Treatment and Care When in Crisis' },
      { sectionRef: '4', title: 'Recovery and Staying Well and Preventing Future Crisis' },
    ]);
    expect(dataOf<{ ref: string }>(events, 'ActionAgreed').map((a) => a.ref)).toEqual([
      '1.1',
      '1.2',
      '1.3',
      '1.4',
      '2.1',
      '2.2',
      '2.3',
      '2.4',
      '3.1',
      '3.1(b)',
      '3.2',
      '4.1',
      '4.2',
      '4.3',
    ]);
  });

  it('keeps 1.3 due October 2015 as agreed and records its revision to March 2018', async () => {
    const store = stores.open();
    await importer(store)({ fileName: DORSET });
    const events = await planEvents(store, DORSET_ID);
    const agreed = dataOf<{ ref: string; due: unknown }>(events, 'ActionAgreed').find((a) => a.ref === '1.3');
    expect(agreed?.due).toEqual({ kind: 'date', date: '2015-10', wording: 'October 2015' });
    const [revision] = ofType(events, 'DeadlineRevised');
    expect(revision!.data).toMatchObject({
      ref: '1.3',
      from: { kind: 'date', date: '2015-10' },
      to: { kind: 'date', date: '2018-03', wording: 'March 2018' },
    });
    expect(revision!.effectiveOn).toEqual({ date: '2017-08', precision: 'month' });
    expect(revision!.provenance).toMatchObject({ location: 'line 46' });
  });

  it('closes 2.1 and 2.3 as complete and 2.2 as subsumed into the Acute Care Pathway review', async () => {
    const store = stores.open();
    await importer(store)({ fileName: DORSET });
    const events = await planEvents(store, DORSET_ID);
    expect(dataOf<{ ref: string; completedOn: string }>(events, 'ActionCompleted')).toEqual(
      ['2.1', '2.3', '3.1(b)', '3.2', '4.3'].map((ref) => ({ ref, completedOn: '2017-08', summary: 'Marked COMPLETE in the plan' })),
    );
    const [subsumed] = dataOf<{ ref: string; into: { kind: string; name: string }; reason: string }>(events, 'ActionSubsumed');
    expect(subsumed!.ref).toBe('2.2');
    expect(subsumed!.into.kind).toBe('programme');
    expect(subsumed!.into.name).toMatch(/^Acute Care Pathway review \(ACP\)$/i);
    expect(subsumed!.reason).toContain('This has been subsumed into the ACP');
    expect(subsumed!.reason).toContain('Marked COMPLETE');
  });

  it("dates 1.2's August update 2017-08 and its undated first update by the next dated one", async () => {
    const store = stores.open();
    const summary = await importer(store)({ fileName: DORSET });
    const updates = ofType(await planEvents(store, DORSET_ID), 'ProgressUpdateRecorded').filter(
      (e) => (e.data as { target: { ref: string } }).target.ref === '1.2',
    );
    expect(updates.map((u) => [u.effectiveOn, (u.data as { narrative: string }).narrative.slice(0, 40)])).toEqual([
      [{ date: '2017-08', precision: 'month' }, 'Work is being undertaken to identify how'],
      [{ date: '2017-08', precision: 'month' }, 'This now forms part of the Dorset Care R'],
    ]);
    expect(summary.warnings).toContainEqual(expect.objectContaining({ code: 'undated-update', line: 25 }));
  });

  it('reads timescales, leads, partners and links as the document words them', async () => {
    const store = stores.open();
    await importer(store)({ fileName: DORSET });
    const actions = new Map(
      dataOf<Record<string, unknown> & { ref: string }>(await planEvents(store, DORSET_ID), 'ActionAgreed').map((a) => [a.ref, a]),
    );
    expect(actions.get('1.4')!.due).toEqual({ kind: 'undated', wording: 'As per Suicide Prevention Action Plan' });
    expect(actions.get('3.1')!.due).toEqual({ kind: 'ongoing', wording: 'Ongoing' });
    expect(actions.get('2.3')!.due).toEqual({ kind: 'date', date: '2015-07', wording: 'End July 2015' });
    expect(actions.get('2.1')!.due).toEqual({ kind: 'date', date: '2016-03', wording: 'June 2015 / March 2016' });
    expect(actions.get('1.1')).toMatchObject({
      leadOrganisations: ['NHS Dorset Clinical Commissioning Group'],
      partnerOrganisations: [
        'Dorset HealthCare University NHS Foundation Trust',
        'Dorset Mental Health Forum',
        'Rethink Mental Illness',
        'Local Authorities',
        'South Western Ambulance Service NHS Foundation Trust',
      ],
      ledByWording:
        'Dorset Clinical Commissioning Group with other partners including Dorset Health Care, Dorset Mental Health Forum, Rethink Mental Illness and Local Authorities and South West Ambulance Service Foundation Trust',
    });
    expect(actions.get('3.2')!.leadOrganisations).toEqual(['Dorset HealthCare University NHS Foundation Trust']);
    expect(actions.get('1.2')!.relatedActionRefs).toEqual(['1.1']);
    expect(actions.get('2.4')!.relatedActionRefs).toEqual(['1.2']);
    expect(actions.get('4.2')!.relatedActionRefs).toEqual(['1.1']);
    expect(actions.get('3.1(b)')).toMatchObject({
      sectionRef: '3',
      text: 'Add skills to current workforce through the development of a shadowing programme',
      leadOrganisations: ['Dorset Police'],
    });
  });

  it('puts the importing user, the import time and the file with its line on every event', async () => {
    const store = stores.open();
    await importer(store)({ fileName: DORSET });
    const events = await planEvents(store, DORSET_ID);
    for (const e of events) {
      expect(e.actor).toEqual(OPERATOR);
      expect(e.recordedAt).toBe(NOW.toISOString());
      expect(e.provenance).toEqual({
        source: 'import',
        file: DORSET,
        sha256: sha256(seed(DORSET)),
        location: expect.stringMatching(/^line \d+$/),
      });
    }
  });

  it('reports what it did not import, each with its line', async () => {
    const store = stores.open();
    const { warnings } = await importer(store)({ fileName: DORSET });
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'word-artefact', line: 1 }),
        expect.objectContaining({ code: 'timescale-milestones', line: 94 }),
        expect.objectContaining({ code: 'complete-and-subsumed', line: 116 }),
        expect.objectContaining({ code: 'row-without-number', line: 171 }),
        expect.objectContaining({ code: 'trailing-document', line: 300 }),
      ]),
    );
  });
});

describe("importing the 2022 progress update on an investigation's recommendations", () => {
  const stores = useSqliteStores();

  it('records three recommendations, each with its progress update dated 15/08/22', async () => {
    const store = stores.open();
    const summary = await importer(store)({ fileName: DEVON });
    expect(summary.recorded).toMatchObject({ plans: 1, recommendations: 3, updates: 3, actions: 0 });
    const events = await planEvents(store, 'recommendation-actions-progress-update-2022');
    expect(dataOf<{ ref: string }>(events, 'RecommendationRecorded').map((r) => r.ref)).toEqual(['1', '2', '3']);
    const updates = ofType(events, 'ProgressUpdateRecorded');
    expect(updates.map((u) => [(u.data as { target: unknown }).target, u.effectiveOn])).toEqual(
      ['1', '2', '3'].map((ref) => [
        { kind: 'recommendation', ref },
        { date: '2022-08-15', precision: 'day' },
      ]),
    );
    expect((updates[0]!.data as { narrative: string }).narrative).toContain('expected to be signed off in September 22');
  });

  it('keeps "within six months" as the wording of recommendation 2\'s deadline and says why it has no date', async () => {
    const store = stores.open();
    const summary = await importer(store)({ fileName: DEVON });
    const recs = dataOf<{ ref: string; due?: unknown; text: string }>(
      await planEvents(store, 'recommendation-actions-progress-update-2022'),
      'RecommendationRecorded',
    );
    expect(recs[1]!.due).toEqual({ kind: 'undated', wording: 'within six months' });
    expect(recs[0]!.text).toMatch(/^To improve knowledge and practice/);
    expect(summary.warnings).toContainEqual(expect.objectContaining({ code: 'relative-deadline', line: 13 }));
  });
});
