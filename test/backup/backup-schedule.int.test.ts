import { afterEach, describe, expect, it } from 'vitest';
import { slotOf, startBackupSchedule, type BackupSchedule } from '../../src/backup/backup-schedule.ts';
import type { OperationsStore } from '../../src/operations/port.ts';
import { openSqliteOperations } from '../../src/operations/sqlite/operations-db.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const HOUR = 60 * 60 * 1000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

/** Three instances on one data dir, each with its own schedule and its own operations connection, on one clock. */
describe('scheduled backups with several instances', () => {
  const dir = makeTempDir('ledger-schedule-');
  const stores: OperationsStore[] = [];
  const schedules: BackupSchedule[] = [];
  afterEach(async () => {
    for (const s of schedules.splice(0)) s.stop();
    for (const s of stores.splice(0)) await s.close();
  });

  it('takes each slot exactly once across the instances, including the slot that was current when they started', async () => {
    let now = Date.parse('2026-12-01T10:30:00Z');
    const taken: { slot: string; by: string }[] = [];
    for (const name of ['a', 'b', 'c']) {
      const operations = openSqliteOperations(dir.path);
      stores.push(operations);
      schedules.push(
        startBackupSchedule({
          intervalMs: HOUR,
          operations,
          holder: name,
          clock: () => now,
          tickMs: 5,
          run: async (slot) => {
            taken.push({ slot, by: name });
            await settle();
          },
          report: { skipped: () => undefined, failed: (_slot, error) => taken.push({ slot: `failed: ${String(error)}`, by: name }) },
        }),
      );
    }
    await settle();
    for (let hour = 1; hour <= 3; hour++) {
      now += HOUR;
      await settle();
      await settle();
    }
    const slots = taken.map((t) => t.slot);
    expect(slots.sort()).toEqual([
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T11:00:00.000Z',
      '2026-12-01T12:00:00.000Z',
      '2026-12-01T13:00:00.000Z',
    ]);
  });

  it('names slots by their start, whole multiples of the interval', () => {
    expect(slotOf(Date.parse('2026-12-01T10:59:59.999Z'), HOUR)).toBe('2026-12-01T10:00:00.000Z');
    expect(slotOf(Date.parse('2026-12-01T23:00:00Z'), 24 * HOUR)).toBe('2026-12-01T00:00:00.000Z');
  });
});
