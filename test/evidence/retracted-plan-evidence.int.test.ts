import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from '../web/web-support.ts';
import * as sample from './sample-files.ts';
import { unzip } from './zip-files.ts';

const open = useSecuredLedger();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'retracted-evidence-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const REASON = 'Columns shifted on import';

/** The Dorset plan with a file on action 1.3, then retracted by its owner's plan manager: the file and the moment before the retraction. */
const retractedWithFile = async () => {
  const ledger = await open({}, { web: {} });
  const { manager } = await seedDorsetPlan(ledger);
  const content = sample.pdf('Board minutes, March 2018');
  const body = await sample.multipart({ content, name: 'minutes.pdf' });
  const attached = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...body });
  expect(attached.statusCode, attached.body).toBe(201);
  const retracted = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/retraction', payload: { reason: REASON } });
  expect(retracted.statusCode, retracted.body).toBe(201);
  await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000);
  const timeline = await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' });
  const retraction = (timeline.json().entries as { type: string; recordedAt: string }[]).find((e) => e.type === 'PlanRetracted')!;
  const before = new Date(Date.parse(retraction.recordedAt) - 1).toISOString();
  return { ledger, manager, content, sha256: sample.sha256Of(content), before };
};

describe("a retracted plan's evidence files", () => {
  it("are not served as the plan's now (410 plan-retracted, saying who, when and why, as its view says), but are as it stood before", async () => {
    const { ledger, content, sha256, before } = await retractedWithFile();
    for (const role of ['viewer', 'auditor'] as const) {
      const key = await ledger.keyFor(role, 'Dorset CCG');
      const now = await ledger.call(key, { method: 'GET', url: `/plans/dorset/evidence-files/${sha256}` });
      expect(now.statusCode, now.body).toBe(410);
      expect(now.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(now.json()).toMatchObject({ code: 'plan-retracted', retraction: { reason: REASON } });
      const view = await ledger.call(key, { method: 'GET', url: '/plans/dorset' });
      expect(now.json().detail).toBe(view.json().detail);

      const then = await ledger.call(key, {
        method: 'GET',
        url: `/plans/dorset/evidence-files/${sha256}?asOf=${encodeURIComponent(before)}`,
      });
      expect(then.statusCode, then.body).toBe(200);
      expect(then.rawPayload).toEqual(content);
    }
  });

  it('on the pages answer the retracted page, linking the file as the plan stood before, which downloads', async () => {
    const { ledger, content, sha256, before } = await retractedWithFile();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const now = await browser.get(`/web/plans/dorset/evidence-files/${sha256}`);
    expect(now.statusCode).toBe(410);
    expect(now.body).toContain(REASON);
    const link = `/web/plans/dorset/evidence-files/${sha256}?asOf=${encodeURIComponent(before)}`;
    expect(now.body).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
    const then = await browser.get(link);
    expect(then.statusCode, then.body.slice(0, 300)).toBe(200);
    expect(then.rawPayload).toEqual(content);
    // The action's page as the ledger stood then links the file at that time, not the file now.
    const action = await browser.get(`/web/plans/dorset/actions/1.3?asOf=${encodeURIComponent(before)}`);
    expect(action.statusCode).toBe(200);
    expect(action.body).toContain(`href="${link}"`);
  });

  it('are still packed for an inquiry, with the files, and the pack says the plan was retracted, by whom and why', async () => {
    const { ledger, sha256 } = await retractedWithFile();
    const res = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/plans/dorset/evidence-pack' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const file = path.join(scratch, 'pack.zip');
    fs.writeFileSync(file, res.rawPayload);
    const entries = await unzip(file);
    const index = entries.get('index.html')!.toString();
    expect(index).toMatch(/This plan was retracted on .+ by .+: Columns shifted on import/);
    expect(JSON.parse(entries.get('pack.json')!.toString()).evidence).toEqual([expect.objectContaining({ sha256, status: 'included' })]);
  });

  it('packs a plan retracted years ago with its statuses as they stood on the day it was retracted, not as they would be today', async () => {
    let now = new Date('2015-09-01T10:00:00Z');
    const ledger = await open({}, { web: {}, clock: () => now });
    const { manager } = await seedDorsetPlan(ledger);
    const retracted = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/retraction', payload: { reason: REASON } });
    expect(retracted.statusCode, retracted.body).toBe(201);
    now = new Date('2026-12-07T10:00:00Z');
    const res = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/plans/dorset/evidence-pack' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const file = path.join(scratch, 'old-retraction.zip');
    fs.writeFileSync(file, res.rawPayload);
    const index = (await unzip(file)).get('index.html')!.toString();
    expect(index).toContain('statuses are computed for 1 September 2015, the day it was retracted.');
    // Action 1.3 was due in October 2015: open when the plan was retracted, not overdue for eleven years since.
    expect(index).not.toContain('>Overdue<');
  });
});
