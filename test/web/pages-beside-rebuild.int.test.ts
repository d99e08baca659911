import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, csrfOf } from './web-support.ts';

const open = useSecuredLedger();
const rebuildChild = fileURLToPath(new URL('../projections/rebuild-child.ts', import.meta.url));

describe('the pages while `ledger rebuild` beside the service has reset the views they read', () => {
  it('say the records are being brought up to date rather than show part of them, show an earlier date in full, and show the plan again once folded', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    // More events than the rebuild's first commit folds (5).
    for (let n = 1; n <= 8; n++) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/1.3/progress-updates',
        payload: { narrative: `Update ${n}`, effectiveOn: '2016-01' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    expect((await browser.get('/web/plans/dorset')).statusCode).toBe(200);
    const now = new Date().toISOString();
    // A plan manager with a form open before the rebuild began.
    const lead = browserFor(ledger);
    await lead.signIn(manager);
    const form = '/web/plans/dorset/actions/1.3/progress-update';
    const token = csrfOf((await lead.get(form)).body);
    const events = await ledger.store.count();

    // Held after its first commit (of 5 events): it has reset the views and folded a few.
    const ledgerFile = path.join(ledger.dataDir, 'ledger.db');
    const rebuild = spawn(process.execPath, ['--import', 'tsx', rebuildChild, ledgerFile, ledger.dataDir, '5', '1', '1']);
    await new Promise<void>((resolve, reject) => {
      rebuild.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('checkpoint') && resolve());
      rebuild.once('exit', (code) => reject(new Error(`rebuild exited ${code}`)));
    });
    try {
      // Today's pages, and any a page reads at the present: a business date alone, a ledger time still to come or left
      // empty, a date it cannot read (shown at the present beside what is wrong with it).
      for (const url of [
        '/web/plans/dorset',
        '/web/reports/deadlines',
        '/web/plans/dorset?effectiveOn=2016-01',
        '/web/plans/dorset?asOf=2099-01-01',
        '/web/organisations?asOf=',
        '/web/plans/dorset?asOf=2016-02-31',
        // The changes page reads the plan it names from the views, whichever clock it compares on.
        '/web/plans/dorset/changes',
        `/web/plans/dorset/changes?from=2015-01-01&to=${encodeURIComponent(now)}`,
      ]) {
        const page = await browser.get(url);
        expect(page.statusCode, url).toBe(503);
        expect(page.headers['retry-after'], url).toBe('5');
        expect(page.body, url).toContain('The records are being brought up to date');
        expect(page.body, url).toContain('Nothing was recorded.');
      }
      const earlier = await browser.get(`/web/plans/dorset?asOf=${encodeURIComponent(now)}`);
      expect(earlier.statusCode).toBe(200);
      expect(earlier.body).toContain('Mapping services');
      // A form finds its action in the views: it is not offered meanwhile, and what it sends is not recorded.
      expect((await lead.get(form)).statusCode).toBe(503);
      const sent = await lead.submit(form, form, { narrative: 'Sent during the rebuild' }, { csrf: token });
      expect(sent.statusCode).toBe(503);
      expect(sent.body).toContain('Nothing was recorded.');
      expect(await ledger.store.count()).toBe(events);
      // The API's changes between two ledger times reads each at its instant, as an earlier date is read: in full.
      const between = `from=2015-01-01&to=${encodeURIComponent(now)}`;
      const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
      const changes = await ledger.call(viewer, { method: 'GET', url: `/plans/dorset/changes?${between}` });
      expect(changes.statusCode, changes.body).toBe(200);
      expect(
        (await ledger.call(viewer, { method: 'GET', url: `/plans/dorset/changes?clock=effective&from=2015-06&to=2016-01` })).json(),
      ).toMatchObject({
        code: 'views-rebuilding',
      });
    } finally {
      const exited = once(rebuild, 'exit');
      rebuild.kill('SIGKILL');
      await exited;
    }
    await expect.poll(async () => (await browser.get('/web/plans/dorset')).statusCode, { timeout: 15_000, interval: 100 }).toBe(200);
  }, 60_000);
});
