import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess, stopLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

type Running = Awaited<ReturnType<typeof startLedgerProcess>>;

/**
 * Two real `ledger serve` processes on one data dir, written through in turn, answer every view
 * as a third process does on a copy of the ledger whose views it built alone.
 */
describe('two ledger processes on one data dir', () => {
  it('answer the lists and reports, live and at an earlier ledger time, as views built from the ledger alone', async () => {
    const dir = makeTempDir('ledger-two-serve-');
    const running: Running[] = [];
    try {
      const headers = {
        authorization: `Bearer ${createKeyWithCli(dir.path, 'plan-manager', 'Dorset CCG')}`,
        'content-type': 'application/json',
      };
      const [a, b] = [await startLedgerProcess(dir.path), await startLedgerProcess(dir.path)];
      running.push(a, b);
      const post = async (through: Running, path: string, body: object) => {
        const res = await fetch(`${through.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        expect(res.status, await res.clone().text()).toBe(201);
        return ((await res.json()) as { position: string }).position;
      };
      let last = '0';
      let midway = '';
      for (let n = 0; n < 8; n++) {
        const through = n % 2 === 0 ? a : b;
        const planId = `two-${n}`;
        await post(through, '/plans', {
          planId,
          title: `Title ${n}`,
          kind: 'crisis-care-concordat',
          owner: 'Dorset CCG',
          effectiveOn: '2015-06',
        });
        await post(through, `/plans/${planId}/actions`, {
          ref: '1.1',
          text: `Words of action ${n}`,
          leadOrganisations: [`Lead ${n}`],
          due: { kind: 'date', date: '2016-03', wording: `By March 2016 (${n})` },
          effectiveOn: '2015-06',
        });
        last = await post(through, `/plans/${planId}/actions/1.1/progress-updates`, { narrative: `Update ${n}`, effectiveOn: '2016-02' });
        if (n === 3) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          midway = new Date().toISOString();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      const reads = [
        '/plans?limit=1000',
        '/organisations?limit=1000',
        '/reports/deadlines?from=2015-01&to=2017-12&limit=1000',
        `/plans?limit=1000&asOf=${midway}`,
        `/organisations?limit=1000&asOf=${midway}&effectiveOn=2016-01`,
      ];
      const answers = async (of: Running) => {
        const out: unknown[] = [];
        for (const path of reads) {
          const res = await fetch(`${of.url}${path}&minPosition=${last}`, { headers });
          expect(res.status, path).toBe(200);
          out.push(await res.json());
        }
        return out;
      };
      const [fromA, fromB] = [await answers(a), await answers(b)];
      await Promise.all(running.splice(0).map(stopLedgerProcess));
      // A copy of the ledger without the shared views: a third process builds them from the ledger alone.
      const alone = makeTempDir('ledger-two-serve-alone-');
      try {
        for (const file of fs.readdirSync(dir.path))
          if (!file.startsWith('read-models.db')) fs.cpSync(`${dir.path}/${file}`, `${alone.path}/${file}`, { recursive: true });
        const c = await startLedgerProcess(alone.path);
        running.push(c);
        const expected = await answers(c);
        expect((expected[0] as { plans: unknown[] }).plans).toHaveLength(8);
        expect(fromA).toEqual(expected);
        expect(fromB).toEqual(expected);
      } finally {
        await Promise.all(running.splice(0).map(stopLedgerProcess));
        alone.remove();
      }
    } finally {
      await Promise.all(running.map(stopLedgerProcess));
      dir.remove();
    }
  }, 120_000);
});
