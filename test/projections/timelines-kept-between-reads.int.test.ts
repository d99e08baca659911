import { afterEach, describe, expect, it } from 'vitest';
import { createPlanReader } from '../../projections/plan-reader.ts';
import { timelineView } from '../../projections/views/plan-views.ts';
import type { OrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import type { EventStore } from '../../src/store/port.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

interface Entry {
  type: string;
  position: string;
  recordedBy: { organisation: string };
  organisations: string[];
}
interface Page {
  entries: Entry[];
  next: string | null;
}

/**
 * The plan reader keeps plans' timelines between reads (projections/timeline/timeline-states.ts), so
 * that paging through a long history reads its events once. What is kept must never answer for a
 * ledger that has moved on, nor with organisation names as they were when it was kept.
 */
describe('timelines kept between reads', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  const open = async () => {
    const r: ReadApp = await openReadApp({ now: '2026-11-23T12:00:00.000Z' });
    cleanup.push(r.close);
    await r.post('/plans', { planId: 'avon', title: 'Avon plan', kind: 'other', owner: 'Avon CCG', effectiveOn: '2017-01' });
    await r.post('/plans/avon/actions', {
      ref: '1.1',
      text: 'Audit discharge letters',
      leadOrganisations: ['Avon Fire'],
      due: { kind: 'ongoing' },
      effectiveOn: '2017-02',
    });
    return r;
  };
  const update = (r: ReadApp, narrative: string, effectiveOn: string) =>
    r.post('/plans/avon/actions/1.1/progress-updates', { narrative, effectiveOn });
  const page = async (r: ReadApp, url: string): Promise<Page> => {
    const res = await r.get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const types = (p: Page) => p.entries.map((e) => e.type);

  it('a timeline read now, then again after a write, holds the new entry: what was kept is brought up to date', async () => {
    const r = await open();
    expect(types(await page(r, '/plans/avon/timeline'))).toEqual(['PlanRegistered', 'ActionAgreed']);
    await update(r, 'Audit started.', '2017-03');
    expect(types(await page(r, '/plans/avon/timeline'))).toEqual(['PlanRegistered', 'ActionAgreed', 'ProgressUpdateRecorded']);
  });

  it('a timeline read at a business date alone, then again after a write dated by then, holds the new entry', async () => {
    const r = await open();
    expect(types(await page(r, '/plans/avon/timeline?effectiveOn=2017-06'))).toEqual(['PlanRegistered', 'ActionAgreed']);
    await update(r, 'Audit started.', '2017-03');
    expect(types(await page(r, '/plans/avon/timeline?effectiveOn=2017-06'))).toEqual([
      'PlanRegistered',
      'ActionAgreed',
      'ProgressUpdateRecorded',
    ]);
    // Read at another date, the same plan is folded at that date, not answered from the first.
    expect(types(await page(r, '/plans/avon/timeline?effectiveOn=2017-02'))).toEqual(['PlanRegistered', 'ActionAgreed']);
  });

  it('a timeline read at an asOf is the same page after page, and after later writes', async () => {
    const r = await open();
    r.setNow('2026-11-23T13:00:00.000Z');
    for (const [i, month] of ['2017-03', '2017-04', '2017-05'].entries()) await update(r, `Report ${i + 1}.`, month);
    const asOf = '2026-11-23T12:30:00Z';
    const first = await page(r, `/plans/avon/timeline?asOf=${asOf}&limit=1`);
    expect(types(first)).toEqual(['PlanRegistered']);
    const second = await page(r, `/plans/avon/timeline?asOf=${asOf}&limit=1&after=${first.next}`);
    expect(types(second)).toEqual(['ActionAgreed']);
    expect(second.next).toBeNull();
    await update(r, 'Report 4.', '2017-06');
    expect(types(await page(r, `/plans/avon/timeline?asOf=${asOf}`))).toEqual(['PlanRegistered', 'ActionAgreed']);
    expect(types(await page(r, '/plans/avon/timeline?asOf=2026-11-23T14:00:00Z'))).toHaveLength(6);
  });

  it('a timeline kept at an asOf holds no event committed while it was read: an earlier asOf at the same position answers without it', async () => {
    const r = await open();
    r.setNow('2026-11-23T13:00:00.000Z');
    // Another instance's write commits after this reader has resolved the asOf to a position, before its fold reads the
    // plan: at an instant at the head, the ledger can still take in a write that was in flight (EventStore.positionAt).
    let writeNext = false;
    const store = new Proxy(r.store, {
      get(target, prop, receiver) {
        if (prop !== 'positionAt') return Reflect.get(target, prop, receiver) as unknown;
        return async (asOf: string) => {
          const position = await target.positionAt(asOf);
          if (writeNext) {
            writeNext = false;
            await update(r, 'Audit started.', '2017-03');
          }
          return position;
        };
      },
    }) as EventStore;
    const clock = () => new Date('2026-11-23T13:00:00.000Z');
    const read = (reader: ReturnType<typeof createPlanReader>, asOf: string) =>
      timelineView({ reader, directory: r.readModels.directory }, { asOf }, 'avon', null, { order: 'recorded' });
    const reader = createPlanReader({ store, readStore: r.readModels.readStore, clock });
    writeNext = true;
    expect((await read(reader, '2026-11-23T13:00:00.000Z')).entries.map((e) => e.type)).toEqual(['PlanRegistered', 'ActionAgreed']);
    // At 12:30 the ledger held the same two entries: the same position, answered from what was kept, as a fresh reader answers.
    const fresh = createPlanReader({ store: r.store, readStore: r.readModels.readStore, clock });
    expect(await read(reader, '2026-11-23T12:30:00.000Z')).toEqual(await read(fresh, '2026-11-23T12:30:00.000Z'));
    expect((await read(fresh, '2026-11-23T13:00:00.000Z')).entries).toHaveLength(3);
  });

  it('an alias learned after a timeline was read names its organisation by the full name on the next read, at either clock', async () => {
    const r = await open();
    const urls = ['/plans/avon/timeline', '/plans/avon/timeline?effectiveOn=2017-06', '/plans/avon/timeline?asOf=2026-11-23T12:30:00Z'];
    const agreedLeads = async (url: string) => (await page(r, url)).entries.find((e) => e.type === 'ActionAgreed')!.organisations;
    for (const url of urls) expect(await agreedLeads(url)).toEqual(['Avon Fire']);
    await (r.readModels.directory as OrganisationAliases).learn([{ name: 'Avon Fire & Rescue Service', aliases: ['Avon Fire'] }]);
    for (const url of urls) expect(await agreedLeads(url)).toEqual(['Avon Fire & Rescue Service']);
    const res = await r.get('/plans/avon/changes?from=2026-11-23T11:00:00Z&to=2026-11-23T12:30:00Z');
    expect(res.statusCode, res.body).toBe(200);
    const entries = (res.json() as { entries: Entry[] }).entries;
    expect(entries.find((e) => e.type === 'ActionAgreed')!.organisations).toEqual(['Avon Fire & Rescue Service']);
  });
});
