import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { collect } from '../support/collect.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();

const ACTION = '/plans/dorset/actions/1.3/evidence-files';
const REC = '/plans/dorset/recommendations/R1/evidence-files';

const upload = async (
  ledger: SecuredLedger,
  key: string | undefined,
  url: string,
  file: { content: Buffer; name: string; type?: string } | undefined,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) => {
  const body = await sample.multipart(file, fields);
  return ledger.call(key, { method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...headers } });
};

const blobsIn = async (ledger: SecuredLedger) => (await collect(ledger.blobs.list())).map((b) => b.sha256).sort();
/** Files left anywhere in the evidence folder but its blobs: a refused upload leaves none. */
const strayFiles = (ledger: SecuredLedger) =>
  ['staging', 'sweeping'].flatMap((d) => {
    const dir = path.join(ledger.dataDir, 'evidence', d);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  });

const problem = (response: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) => {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(JSON.parse(response.body)).toMatchObject({ status, code });
};

describe('evidence files: upload and download', () => {
  it('keeps each accepted type with its hash, size, type, name and uploader, and serves it back as an attachment', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const files = [
      { content: sample.pdf(), name: 'Board minutes March 2018.pdf', mediaType: 'application/pdf' },
      { content: sample.png(), name: 'map.png', mediaType: 'image/png' },
      { content: sample.jpeg(), name: 'photo.jpg', mediaType: 'image/jpeg' },
      {
        content: await sample.docx(),
        name: 'protocol.docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
      { content: await sample.xlsx(), name: 'audit.xlsx', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      { content: await sample.odt(), name: 'policy.odt', mediaType: 'application/vnd.oasis.opendocument.text' },
      { content: sample.csv(), name: 'figures.csv', type: 'text/csv', mediaType: 'text/csv' },
      { content: sample.eml(), name: 'Re: assurance.eml', type: 'message/rfc822', mediaType: 'message/rfc822' },
    ];
    for (const f of files) {
      const res = await upload(ledger, manager, ACTION, f, { title: `Evidence: ${f.name}`, effectiveOn: '2018-03' });
      expect(res.statusCode, res.body).toBe(201);
      const body = JSON.parse(res.body);
      const sha256 = sample.sha256Of(f.content);
      expect(body.file).toEqual({ sha256, size: f.content.length, mediaType: f.mediaType, fileName: f.name });
      expect(res.headers.location).toBe(`/plans/dorset/evidence-files/${sha256}`);

      const [event] = (await collect(ledger.store.readStream('plan-dorset'))).slice(-1);
      expect(event).toMatchObject({
        type: 'EvidenceFileAttached',
        effectiveOn: { date: '2018-03' },
        actor: { role: 'plan-manager', organisation: 'NHS Dorset Clinical Commissioning Group' },
        data: { target: { kind: 'action', ref: '1.3' }, title: `Evidence: ${f.name}`, file: body.file },
      });

      const download = await ledger.call(manager, { method: 'GET', url: `${body.download}?minPosition=${body.position}` });
      expect(download.statusCode, download.body).toBe(200);
      expect(download.rawPayload.equals(f.content)).toBe(true);
      expect(download.headers).toMatchObject({
        etag: `"${sha256}"`,
        'x-content-type-options': 'nosniff',
        'content-length': String(f.content.length),
      });
      expect(download.headers['content-type']).toBe(f.type ? `${f.mediaType}; charset=utf-8` : f.mediaType);
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename=/);
    }
    const plan = JSON.parse((await ledger.call(manager, { method: 'GET', url: '/plans/dorset' })).body);
    const listed = plan.actions.find((a: { ref: string }) => a.ref === '1.3').evidence;
    expect(listed).toHaveLength(files.length);
    expect(listed[0]).toMatchObject({
      title: 'Evidence: Board minutes March 2018.pdf',
      file: { mediaType: 'application/pdf' },
      erased: null,
    });
  });

  it('stores the same file once however often it is attached, and titles it by its name when no title is given', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const minutes = { content: sample.pdf(), name: 'minutes.pdf' };
    for (const url of [ACTION, REC, ACTION]) expect((await upload(ledger, manager, url, minutes)).statusCode).toBe(201);
    expect(await blobsIn(ledger)).toEqual([sample.sha256Of(minutes.content)]);
    const events = (await collect(ledger.store.readStream('plan-dorset'))).filter((e) => e.type === 'EvidenceFileAttached');
    expect(events.map((e) => [(e.data.target as { kind: string }).kind, e.data.title])).toEqual([
      ['action', 'minutes.pdf'],
      ['recommendation', 'minutes.pdf'],
      ['action', 'minutes.pdf'],
    ]);
  });

  it('answers a repeated Idempotency-Key with the first result and records nothing more', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const file = { content: sample.png(3), name: 'map.png' };
    const first = await upload(ledger, manager, ACTION, file, {}, { 'idempotency-key': 'upload-map-1' });
    const count = await ledger.store.count();
    const again = await upload(ledger, manager, ACTION, file, {}, { 'idempotency-key': 'upload-map-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(again.body).eventIds).toEqual(JSON.parse(first.body).eventIds);
    expect(await ledger.store.count()).toBe(count);
    problem(
      await upload(ledger, manager, ACTION, { content: sample.png(4), name: 'map.png' }, {}, { 'idempotency-key': 'upload-map-1' }),
      422,
      'idempotency-key-reused',
    );
    expect(strayFiles(ledger)).toEqual([]);
  });

  it('answers If-None-Match with the file hash with 304, and a file of another plan or no file with 404', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const res = JSON.parse((await upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' })).body);
    const cached = await ledger.call(manager, { method: 'GET', url: res.download, headers: { 'if-none-match': `"${res.file.sha256}"` } });
    expect(cached.statusCode).toBe(304);
    problem(
      await ledger.call(manager, { method: 'GET', url: `/plans/dorset/evidence-files/${'0'.repeat(64)}` }),
      404,
      'evidence-file-not-found',
    );
    problem(
      await ledger.call(manager, { method: 'GET', url: `/plans/elsewhere/evidence-files/${res.file.sha256}` }),
      404,
      'plan-not-found',
    );
  });

  it('answers If-None-Match by weak comparison (W/"…", as a compressing proxy sends it back), in a list, and "*" with 304; another tag with the file', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const res = JSON.parse((await upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' })).body);
    const statusFor = async (ifNoneMatch: string) =>
      (await ledger.call(manager, { method: 'GET', url: res.download, headers: { 'if-none-match': ifNoneMatch } })).statusCode;
    expect(await statusFor(`W/"${res.file.sha256}"`)).toBe(304);
    expect(await statusFor(`"other", W/"${res.file.sha256}"`)).toBe(304);
    expect(await statusFor('*')).toBe(304);
    expect(await statusFor(`"${'0'.repeat(64)}", W/"x"`)).toBe(200);
  });

  it('cuts a download short rather than serve bytes altered in the store', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const res = JSON.parse((await upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' })).body);
    const stored = path.join(ledger.dataDir, 'evidence', 'sha256', res.file.sha256.slice(0, 2), res.file.sha256);
    const altered = sample.pdf('Board minutes, MARCH 2018');
    expect(altered.length).toBe(res.file.size);
    fs.writeFileSync(stored, altered);
    const download = await ledger.call(manager, { method: 'GET', url: res.download });
    // A file held back until its hash is checked: the answer is an error, or ends short; never the altered file whole.
    expect(download.rawPayload.equals(altered)).toBe(false);
    if (download.statusCode === 200) expect(download.rawPayload.length).toBeLessThan(res.file.size);
    else expect(download.statusCode).toBe(500);
  });
});

describe('evidence files: refusals write nothing and keep nothing', () => {
  const refusals = async (ledger: SecuredLedger, manager: string) => {
    const cases: Array<[string, () => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>, number, string]> = [
      [
        'too large',
        () => upload(ledger, manager, ACTION, { content: Buffer.alloc(5000, 'a'), name: 'big.txt', type: 'text/plain' }),
        413,
        'evidence-file-too-large',
      ],
      [
        'a GIF',
        () => upload(ledger, manager, ACTION, { content: sample.gif(), name: 'x.png', type: 'image/png' }),
        415,
        'unsupported-media-type',
      ],
      [
        'a macro-enabled document',
        async () => upload(ledger, manager, ACTION, { content: await sample.docm(), name: 'x.docx' }),
        415,
        'unsupported-media-type',
      ],
      [
        'a zip',
        async () => upload(ledger, manager, ACTION, { content: await sample.plainZip(), name: 'x.zip' }),
        415,
        'unsupported-media-type',
      ],
      [
        'text that is not UTF-8',
        () => upload(ledger, manager, ACTION, { content: sample.latin1Text(), name: 'x.txt', type: 'text/plain' }),
        415,
        'unsupported-media-type',
      ],
      ['undeclared text', () => upload(ledger, manager, ACTION, { content: sample.csv(), name: 'x.csv' }), 415, 'unsupported-media-type'],
      ['an empty file', () => upload(ledger, manager, ACTION, { content: Buffer.alloc(0), name: 'empty.pdf' }), 422, 'empty-file'],
      ['no file', () => upload(ledger, manager, ACTION, undefined, { title: 'Minutes' }), 400, 'missing-file'],
      [
        'no file chosen, as a browser sends it: an empty part with no name',
        () => upload(ledger, manager, ACTION, { content: Buffer.alloc(0), name: '' }, { title: 'Minutes' }),
        400,
        'missing-file',
      ],
      ['a file with no name', () => upload(ledger, manager, ACTION, { content: sample.pdf(), name: '' }), 400, 'invalid-file-name'],
      [
        'a name shown in another order than it is written (a right-to-left override hiding its extension)',
        () => upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'minutes\u202efdp.exe' }),
        400,
        'invalid-file-name',
      ],
      [
        'an unknown field',
        () => upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' }, { actor: 'someone else' }),
        400,
        'unknown-field',
      ],
      [
        'a bad business date',
        () => upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' }, { effectiveOn: '2018-13' }),
        400,
        'validation-failed',
      ],
      [
        'a future business date',
        () => upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' }, { effectiveOn: '2999-01' }),
        422,
        'effective-date-in-future',
      ],
      [
        'an unknown action',
        () => upload(ledger, manager, '/plans/dorset/actions/9.9/evidence-files', { content: sample.pdf(), name: 'm.pdf' }),
        404,
        'action-not-found',
      ],
      [
        'an unknown plan',
        () => upload(ledger, manager, '/plans/nowhere/actions/1.3/evidence-files', { content: sample.pdf(), name: 'm.pdf' }),
        404,
        'plan-not-found',
      ],
      [
        'JSON instead of a file',
        () => ledger.call(manager, { method: 'POST', url: ACTION, payload: { title: 'x' } }),
        415,
        'unsupported-media-type',
      ],
      [
        'multipart with no boundary',
        () => ledger.call(manager, { method: 'POST', url: ACTION, headers: { 'content-type': 'multipart/form-data' }, payload: 'x' }),
        400,
        'malformed-multipart',
      ],
      [
        'a second file',
        () =>
          ledger.call(manager, {
            method: 'POST',
            url: ACTION,
            headers: { 'content-type': 'multipart/form-data; boundary=b' },
            payload:
              '--b\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\ncontent-type: text/csv\r\n\r\na,b\n\r\n' +
              '--b\r\ncontent-disposition: form-data; name="file"; filename="c.csv"\r\ncontent-type: text/csv\r\n\r\nc,d\n\r\n--b--\r\n',
          }),
        400,
        'unexpected-file',
      ],
      [
        'a file in a part with another name',
        () =>
          ledger.call(manager, {
            method: 'POST',
            url: ACTION,
            headers: { 'content-type': 'multipart/form-data; boundary=b' },
            payload:
              '--b\r\ncontent-disposition: form-data; name="upload"; filename="a.csv"\r\ncontent-type: text/csv\r\n\r\na,b\n\r\n--b--\r\n',
          }),
        400,
        'unexpected-file',
      ],
      [
        'multipart cut short',
        () =>
          ledger.call(manager, {
            method: 'POST',
            url: ACTION,
            headers: { 'content-type': 'multipart/form-data; boundary=b' },
            payload: '--b\r\ncontent-disposition: form-data; name="file"; filename="m.pdf"\r\ncontent-type: application/pdf\r\n\r\n%PDF',
          }),
        400,
        'malformed-multipart',
      ],
      [
        'a stale If-Match',
        () => upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' }, {}, { 'if-match': '"1"' }),
        412,
        'revision-mismatch',
      ],
    ];
    return cases;
  };

  it('refuses each bad upload with a stable code, appending no event and leaving no file', async () => {
    const ledger = await open({}, { evidence: { maxBytes: 4096 } });
    const { manager } = await seedDorsetPlan(ledger);
    const before = await ledger.store.count();
    for (const [what, send, status, code] of await refusals(ledger, manager)) {
      const res = await send();
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(JSON.parse(res.body), what).toMatchObject({ code });
      expect(await ledger.store.count(), what).toBe(before);
      expect(await blobsIn(ledger), what).toEqual([]);
      expect(strayFiles(ledger), what).toEqual([]);
    }
  });

  it('refuses callers by role and organisation before anything is kept', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const before = await ledger.store.count();
    const file = { content: sample.pdf(), name: 'm.pdf' };
    problem(await upload(ledger, undefined, ACTION, file), 401, 'authentication-required');
    problem(await upload(ledger, await ledger.keyFor('viewer'), ACTION, file), 403, 'role-not-permitted');
    problem(await upload(ledger, await ledger.keyFor('auditor'), ACTION, file), 403, 'role-not-permitted');
    problem(await upload(ledger, await ledger.keyFor('admin'), ACTION, file), 403, 'role-not-permitted');
    problem(await upload(ledger, await ledger.keyFor('contributor', 'Dorset Police'), ACTION, file), 403, 'not-your-organisation');
    problem(await upload(ledger, await ledger.keyFor('plan-manager', 'Devon Partnership'), ACTION, file), 403, 'not-your-organisation');
    expect(await ledger.store.count()).toBe(before);
    expect(await blobsIn(ledger)).toEqual([]);
    expect(strayFiles(ledger)).toEqual([]);
    // The lead's contributor may: Local Authorities lead action 1.3.
    expect((await upload(ledger, await ledger.keyFor('contributor', 'Local Authorities'), ACTION, file)).statusCode).toBe(201);
  });
});

describe('evidence files: who may download, and the access log', () => {
  it('serves every role that reads plans, refuses the rest, and records every attempt with the plan', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const res = JSON.parse((await upload(ledger, manager, ACTION, { content: sample.pdf(), name: 'm.pdf' })).body);
    const readers = [await ledger.keyFor('viewer', 'Dorset Police'), await ledger.keyFor('auditor', 'Independent inquiry')];
    for (const key of readers) expect((await ledger.call(key, { method: 'GET', url: res.download })).statusCode).toBe(200);
    problem(await ledger.call(await ledger.keyFor('admin'), { method: 'GET', url: res.download }), 403, 'role-not-permitted');
    problem(await ledger.call(undefined, { method: 'GET', url: res.download }), 401, 'authentication-required');
    const { entries } = await ledger.access.log.query({ limit: 100, route: '/plans/:planId/evidence-files/:sha256' });
    expect(entries.map((e) => [e.role, e.planId, e.status])).toEqual([
      ['viewer', 'dorset', 200],
      ['auditor', 'dorset', 200],
      ['admin', 'dorset', 403],
      [null, 'dorset', 401],
    ]);
  });
});

describe('evidence files: erasure', () => {
  it("removes the file, keeps its hash, answers 410 after, and refuses the same content again; only the owner's plan managers erase", async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const minutes = { content: sample.pdf('Names a patient'), name: 'minutes.pdf' };
    const res = JSON.parse((await upload(ledger, manager, ACTION, minutes)).body);
    const erasure = `/plans/dorset/evidence-files/${res.file.sha256}/erasure`;
    const reason = { reason: 'The minutes name a patient: replaced by a redacted copy' };

    const before = await ledger.store.count();
    problem(
      await ledger.call(await ledger.keyFor('plan-manager', 'Local Authorities'), { method: 'POST', url: erasure, payload: reason }),
      403,
      'not-your-organisation',
    );
    problem(
      await ledger.call(await ledger.keyFor('contributor', 'Dorset CCG'), { method: 'POST', url: erasure, payload: reason }),
      403,
      'role-not-permitted',
    );
    problem(await ledger.call(manager, { method: 'POST', url: erasure, payload: {} }), 400, 'validation-failed');
    problem(
      await ledger.call(manager, { method: 'POST', url: `/plans/dorset/evidence-files/${'1'.repeat(64)}/erasure`, payload: reason }),
      404,
      'evidence-file-not-found',
    );
    expect(await ledger.store.count()).toBe(before);
    expect(await blobsIn(ledger)).toEqual([res.file.sha256]);

    const erased = await ledger.call(manager, { method: 'POST', url: erasure, payload: reason });
    expect(erased.statusCode, erased.body).toBe(201);
    expect(JSON.parse(erased.body)).toMatchObject({ sha256: res.file.sha256, fileRemoved: true });
    expect(await blobsIn(ledger)).toEqual([]);
    const [event] = (await collect(ledger.store.readStream('plan-dorset'))).slice(-1);
    expect(event).toMatchObject({
      type: 'EvidenceErased',
      reason: reason.reason,
      data: { sha256: res.file.sha256 },
      actor: { role: 'plan-manager' },
    });

    const at = `minPosition=${JSON.parse(erased.body).position}`;
    problem(await ledger.call(manager, { method: 'GET', url: `${res.download}?${at}` }), 410, 'evidence-erased');
    const plan = JSON.parse((await ledger.call(manager, { method: 'GET', url: `/plans/dorset?${at}` })).body);
    expect(plan.actions.find((a: { ref: string }) => a.ref === '1.3').evidence[0]).toMatchObject({
      file: { sha256: res.file.sha256 },
      erased: { reason: reason.reason },
    });
    const count = await ledger.store.count();
    problem(await upload(ledger, manager, REC, minutes), 409, 'evidence-erased');
    problem(await ledger.call(manager, { method: 'POST', url: erasure, payload: reason }), 409, 'evidence-already-erased');
    expect(await ledger.store.count()).toBe(count);
    expect(await blobsIn(ledger)).toEqual([]);
  });
});
