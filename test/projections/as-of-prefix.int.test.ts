import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels } from '../../projections/read-models.ts';
import { buildApp } from '../../src/app/http/app.ts';
import { migrations } from '../../src/store/sqlite/schema.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { collect } from '../support/collect.ts';
import { makeEvent } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { OPERATOR, openReadApp, type ReadApp } from './read-app.ts';

/**
 * A ledger file as an older version wrote it, before recordedAt was kept in order: a plan registered at 09:00 on
 * 23 November 2026, then one section at each of these times of that day.
 */
const olderLedger = (sectionTimes: string[]) => {
  const dir = makeTempDir('ledger-asof-');
  const file = dir.file('ledger.db');
  const old = new Database(file);
  old.exec(migrations[0] as string);
  old.pragma('user_version = 1');
  const insert = old.prepare(
    'INSERT INTO events (position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const written = [
    makeEvent({
      type: 'PlanRegistered',
      recordedAt: '2026-11-23T09:00:00.000Z',
      data: { planId: 'dorset', title: 'Dorset', kind: 'other', owner: 'Dorset CCG', ragLegend: [] },
    }),
    ...sectionTimes.map((time, i) =>
      makeEvent({ recordedAt: `2026-11-23T${time}:00.000Z`, data: { sectionRef: String(i + 1), title: `Section ${i + 1}` } }),
    ),
  ];
  written.forEach((e, i) =>
    insert.run(i, 'plan-dorset', i, e.eventId, e.type, e.schemaVersion, e.recordedAt, e.commandId, JSON.stringify(e)),
  );
  old.close();
  return { dir, file };
};

/** An `asOf` answer is the ledger up to one position: a state the ledger really had, never a mix. */
describe('asOf resolves to a ledger position', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });
  const sectionRefs = (response: { statusCode: number; json: () => unknown }) =>
    response.statusCode === 404 ? null : (response.json() as { sections: { sectionRef: string }[] }).sections.map((s) => s.sectionRef);

  it('after the server clock steps back, no instant shows the later event without the earlier one', async () => {
    const ctx: ReadApp = await openReadApp({ now: '2026-11-23T12:00:00.000Z' });
    cleanup.push(ctx.close);
    await ctx.post('/plans', { planId: 'dorset', title: 'Dorset', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-03' });
    await ctx.post('/plans/dorset/sections', { sectionRef: '1', title: 'Access', effectiveOn: '2015-03' });
    ctx.setNow('2026-11-23T10:00:00.000Z'); // two hours back, as after a bad NTP step
    await ctx.post('/plans/dorset/sections', { sectionRef: '2', title: 'Urgent help', effectiveOn: '2015-03' });
    const times = (await collect(ctx.store.readAll())).map((e) => e.recordedAt);
    expect(times).toEqual([...times].sort());
    expect(sectionRefs(await ctx.get('/plans/dorset?asOf=2026-11-23T11:00:00Z'))).toBeNull();
    expect((await ctx.get('/plans/dorset/timeline?asOf=2026-11-23T11:00:00Z')).statusCode).toBe(404);
    expect(sectionRefs(await ctx.get('/plans/dorset?asOf=2026-11-23T12:00:00Z'))).toEqual(['1', '2']);
  });

  it('on a ledger whose clock stepped back before recordedAt was kept in order, every instant answers a prefix of the ledger', async () => {
    // Written as an older version wrote it: plan at 09:00, section 1 at 12:00, section 2 at 10:00 (the clock
    // stepped back), section 3 at 12:30. The plan's snapshots are kept at every event.
    const { dir, file } = olderLedger(['12:00', '10:00', '12:30']);
    const store = openSqliteEventStore({ file });
    const readModels = openReadModels({ store, dataDir: dir.path, snapshotEvery: 1, clock: () => new Date('2026-11-24T00:00:00Z') });
    await readModels.runner.start();
    const app = await buildApp({ store, operator: OPERATOR, readModels });
    cleanup.push(async () => {
      await app.close();
      await readModels.close();
      await store.close();
      dir.remove();
    });

    const prefixes = [null, [], ['1'], ['1', '2'], ['1', '2', '3']];
    for (const time of ['08:00', '09:00', '09:30', '10:00', '11:00', '12:00', '12:10', '12:30', '13:00']) {
      const asOf = `2026-11-23T${time}:00Z`;
      const view = sectionRefs(await app.inject(`/plans/dorset?asOf=${asOf}`));
      expect(prefixes, `plan view as of ${time}: ${JSON.stringify(view)}`).toContainEqual(view);
      const timeline = await app.inject(`/plans/dorset/timeline?asOf=${asOf}`);
      const types =
        timeline.statusCode === 404 ? [] : (timeline.json() as { entries: { position: string }[] }).entries.map((e) => e.position);
      expect(types, `timeline as of ${time}`).toEqual(['0', '1', '2', '3'].slice(0, types.length));
      expect(view === null ? 0 : view.length + 1, `view and timeline agree as of ${time}`).toBe(types.length);
    }
    // 11:00 falls inside the stepped-back stretch: section 2's snapshot (stamped 10:00) holds section 1 (stamped 12:00),
    // so it is not used; the answer is the ledger up to the plan alone.
    expect(sectionRefs(await app.inject('/plans/dorset?asOf=2026-11-23T11:00:00Z'))).toEqual([]);
    expect((await app.inject('/plans?asOf=2026-11-23T11:00:00Z')).json()).toMatchObject({ position: '0' });
  });

  it('on a ledger whose clock stepped back before recordedAt was kept in order, a later instant never shows less of it', async () => {
    // Stepped back twice: sections at 12:00, 10:30 and 10:00, then 12:30. The latest stamp by 10:45 is section 2's, by
    // 10:00 section 3's: ending at the latest stamp, 10:45 would show less than 10:00.
    const { dir, file } = olderLedger(['12:00', '10:30', '10:00', '12:30']);
    const store = openSqliteEventStore({ file });
    cleanup.push(async () => {
      await store.close();
      dir.remove();
    });
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT position FROM ledger_time_out_of_order').pluck().all(), 'the file is marked as out of order').toHaveLength(
      1,
    );
    raw.close();
    let before = -1n;
    for (let minutes = 8 * 60; minutes <= 13 * 60; minutes += 5) {
      const instant = `2026-11-23T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00.000Z`;
      const position = (await store.positionAt(instant)) ?? -1n;
      expect(position, instant).toBeGreaterThanOrEqual(before);
      before = position;
    }
    expect(before).toBe(4n);
  });

  it('puts back the ledger-time index and the out-of-order mark when someone dropped them, saying so, with positions unchanged', async () => {
    const { dir, file } = olderLedger(['12:00', '10:30', '10:00', '12:30']);
    cleanup.push(async () => dir.remove());
    const positions = async (store: ReturnType<typeof openSqliteEventStore>) => {
      const found = [];
      for (const time of ['08:00', '09:00', '10:00', '10:45', '12:00', '12:30'])
        found.push(await store.positionAt(`2026-11-23T${time}:00.000Z`));
      return found;
    };
    const first = openSqliteEventStore({ file, onUpgrade: () => {} });
    const before = await positions(first);
    await first.close();
    const raw = new Database(file);
    // The append-only triggers do not stop this: both are worked out from the events, not recorded.
    raw.exec('DROP INDEX events_by_ledger_time; DROP TABLE ledger_time_out_of_order');
    raw.close();

    const told: unknown[] = [];
    const store = openSqliteEventStore({ file, onUpgrade: (upgrade) => told.push(upgrade) });
    expect(told).toEqual([{ restored: ['events_by_ledger_time', 'ledger_time_out_of_order'], seconds: expect.any(Number) }]);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT position FROM ledger_time_out_of_order').pluck().all(), 'marked as out of order again').toHaveLength(1);
    check.close();
    expect(await positions(store)).toEqual(before);
    await store.close();
    const again: unknown[] = [];
    await openSqliteEventStore({ file, onUpgrade: (upgrade) => again.push(upgrade) }).close();
    expect(again, 'nothing is missing the next time').toEqual([]);
  });
});
