import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { collect } from '../support/collect.ts';
import { fakeClockEnv, findLibfaketime } from '../support/libfaketime.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const libfaketime = findLibfaketime();
if (!libfaketime) console.log('skipped: the clock step-back test needs libfaketime (apt-get install faketime); .ci/run installs it');

/** A service restarted with its clock two hours behind, as after a bad NTP step or a restored VM snapshot. */
describe.skipIf(!libfaketime)('a service whose clock stepped back (real process, libfaketime)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-clock-');
  });
  afterEach(() => dir.remove());

  const run = async (env: Record<string, string>, work: (url: string) => Promise<void>) => {
    const { child, url, output } = await startLedgerProcess(dir.path, env);
    try {
      await work(url);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    return output();
  };

  it('records new events at the ledger’s time, never before the last one, and logs that the clock is behind', async () => {
    const manager = {
      authorization: `Bearer ${createKeyWithCli(dir.path, 'plan-manager', 'Dorset CCG')}`,
      'content-type': 'application/json',
    };
    await run({}, async (url) => {
      const body = JSON.stringify({ planId: 'dorset', title: 'Dorset', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-03' });
      expect((await fetch(`${url}/plans`, { method: 'POST', headers: manager, body })).status).toBe(201);
    });
    const behind = await run(fakeClockEnv(libfaketime!, '-2h'), async (url) => {
      const section = JSON.stringify({ sectionRef: '1', title: 'Access to Support Before Crisis', effectiveOn: '2015-03' });
      expect((await fetch(`${url}/plans/dorset/sections`, { method: 'POST', headers: manager, body: section })).status).toBe(201);
    });
    const store = openSqliteEventStore({ file: `${dir.path}/ledger.db` });
    const events = await collect(store.readStream('plan-dorset')).finally(() => store.close());
    expect(events.map((e) => e.type)).toEqual(['PlanRegistered', 'SectionAdded']);
    const [registered, added] = events.map((e) => e.recordedAt);
    expect(added! >= registered!, `${added} is before ${registered}`).toBe(true);
    // The restarted process really did read a clock two hours behind, and said so once, loudly.
    expect(behind).toMatch(
      /"level":50[^\n]*the system clock is 1h 59m \d+s behind the ledger's last recordedAt|"level":50[^\n]*the system clock is 2h 0m \d+s behind/,
    );
  }, 120_000);
});
