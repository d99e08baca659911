import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { DORSET, seed } from '../import/import-support.ts';

const open = useSecuredLedger();

/** A real multipart/form-data body, built by the platform's own FormData: fields in the order given, a name as often as given. */
const form = async (fields: [string, string][], file: { name: string; content: Buffer; type: string }) => {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  data.append('file', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: data });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
};

const stagedFiles = (ledger: SecuredLedger) => {
  const dir = path.join(ledger.dataDir, 'evidence', 'staging');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('a form field given twice is refused, not read as its last value', () => {
  it('an evidence upload with title twice is 400 duplicate-form-field, writes nothing and leaves no staged file', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const before = await ledger.store.count();
    const file = { name: 'minutes.txt', content: Buffer.from('Board minutes\n'), type: 'text/plain' };
    for (const fields of [
      [
        ['title', 'Minutes of the board'],
        ['title', 'Draft, not agreed'],
      ],
      [
        ['effectiveOn', '2018-03'],
        ['effectiveOn', '2019-03'],
      ],
    ] as [string, string][][]) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/1.3/evidence-files',
        ...(await form(fields, file)),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'duplicate-form-field', detail: expect.stringContaining(`"${fields[0]![0]}"`) });
    }
    expect(await ledger.store.count()).toBe(before);
    expect(stagedFiles(ledger)).toEqual([]);
  });

  it('an import upload with planId twice is 400 duplicate-form-field and writes nothing', async () => {
    const ledger = await open();
    const manager = await ledger.keyFor('plan-manager', 'Dorset Crisis Care Concordat partners');
    const fields: [string, string][] = [
      ['owner', 'Dorset Crisis Care Concordat partners'],
      ['planId', 'dorset-2017'],
      ['planId', 'dorset-2018'],
    ];
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/imports',
      ...(await form(fields, { name: DORSET, content: seed(DORSET), type: 'text/plain' })),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'duplicate-form-field', detail: expect.stringContaining('"planId"') });
    expect(await ledger.store.count()).toBe(0);
  });
});
