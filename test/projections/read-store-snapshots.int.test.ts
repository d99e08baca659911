import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadStore, SNAPSHOT_RECORDED_BY } from '../../projections/runner/sqlite/read-store.ts';
import type { Snapshot } from '../../projections/runner/read-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

const snapshot = (key: string, revision: number, recordedAt: string): Snapshot => ({
  key,
  revision,
  recordedAt,
  doc: new TextEncoder().encode(`${key}@${revision}`),
});
const revisionOf = (found: Snapshot | undefined) => found?.revision;

describe("a plan's snapshot at an instant", () => {
  it('is the one of the highest revision recorded by then, whatever order the instants were stamped in, and only of that plan', () => {
    dir = makeTempDir('ledger-read-store-');
    const store = openReadStore(dir.file('read-models.db'));
    try {
      store.save(
        'plan-status',
        { version: 1, position: 900n },
        [],
        [
          snapshot('plan-a', 99, '2019-01-10T09:00:00.000Z'),
          snapshot('plan-a', 199, '2019-03-01T09:00:00.000Z'),
          // Stamped before the revision below it (appends committed out of the order they were stamped in).
          snapshot('plan-a', 299, '2019-02-01T09:00:00.000Z'),
          snapshot('plan-a', 399, '2019-06-01T09:00:00.000Z'),
          snapshot('plan-b', 99, '2019-01-01T09:00:00.000Z'),
          snapshot('plan-b', 199, '2019-12-01T09:00:00.000Z'),
        ],
      );
      expect(revisionOf(store.latestSnapshot('plan-status', 'plan-a', '2019-01-09T23:59:59.999Z'))).toBeUndefined();
      expect(revisionOf(store.latestSnapshot('plan-status', 'plan-a', '2019-01-10T09:00:00.000Z'))).toBe(99);
      expect(revisionOf(store.latestSnapshot('plan-status', 'plan-a', '2019-02-15T00:00:00.000Z'))).toBe(299);
      expect(revisionOf(store.latestSnapshot('plan-status', 'plan-a', '2019-03-01T09:00:00.000Z'))).toBe(299);
      expect(revisionOf(store.latestSnapshot('plan-status', 'plan-a', '2030-01-01T00:00:00.000Z'))).toBe(399);
      expect(revisionOf(store.latestSnapshot('plan-status', 'plan-b', '2019-06-01T09:00:00.000Z'))).toBe(99);
      expect(revisionOf(store.latestSnapshot('other-view', 'plan-a', '2030-01-01T00:00:00.000Z'))).toBeUndefined();
      const found = store.latestSnapshot('plan-status', 'plan-a', '2019-02-15T00:00:00.000Z')!;
      expect({ ...found, doc: new TextDecoder().decode(found.doc) }).toEqual({
        key: 'plan-a',
        revision: 299,
        recordedAt: '2019-02-01T09:00:00.000Z',
        doc: 'plan-a@299',
      });
    } finally {
      store.close();
    }
  });

  it('is read through the index of when snapshots were recorded, then by its primary key, never by walking the plan’s rows', () => {
    dir = makeTempDir('ledger-read-store-');
    const file = dir.file('read-models.db');
    openReadStore(file).close();
    const db = new Database(file, { readonly: true });
    try {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${SNAPSHOT_RECORDED_BY}`)
        .all({ projection: 'plan-status', key: 'plan-a', recordedBy: '2020-01-01T00:00:00.000Z' }) as { detail: string }[];
      const steps = plan.map((row) => row.detail);
      expect(steps).toContainEqual(expect.stringMatching(/^SEARCH packed_snapshots USING COVERING INDEX packed_snapshots_by_time /));
      expect(steps).toContainEqual(
        expect.stringMatching(/^SEARCH packed_snapshots USING PRIMARY KEY \(projection=\? AND key=\? AND revision=\?\)/),
      );
      expect(steps.filter((step) => step.startsWith('SCAN'))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
