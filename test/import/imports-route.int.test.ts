import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { openOrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import { collect } from '../support/collect.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { DEVON, DORSET, NOW, OPERATOR, seed } from './import-support.ts';

describe('POST /imports', () => {
  const stores = useSqliteStores();
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  const app = async () => {
    const store = stores.open();
    const dir = makeTempDir();
    dirs.push(dir);
    const instance = await buildApp({
      store,
      operator: OPERATOR,
      clock: () => NOW,
      organisationAliases: openOrganisationAliases(dir.path),
    });
    return { store, instance, dir };
  };
  const post = (instance: Awaited<ReturnType<typeof app>>['instance'], body: object, query = '') =>
    instance.inject({ method: 'POST', url: `/imports${query}`, payload: body });

  it('imports a Word text export sent as JSON and answers with the summary', async () => {
    const { store, instance, dir } = await app();
    const response = await post(instance, {
      fileName: DORSET,
      content: seed(DORSET).toString('utf8'),
      owner: 'Dorset Crisis Care Concordat partners',
    });
    expect(response.statusCode).toBe(201);
    const summary = response.json();
    expect(summary).toMatchObject({
      planId: 'dorset-crisis-care-concordat-action-plan',
      dryRun: false,
      events: 48,
      recorded: { actions: 14, updates: 22, completions: 5, subsumptions: 1 },
    });
    expect(summary.warnings).toContainEqual(expect.objectContaining({ code: 'trailing-document', line: 300 }));
    expect(await store.count()).toBe(48);
    const learned = JSON.parse(fs.readFileSync(path.join(dir.path, 'organisation-aliases.json'), 'utf8'));
    expect(learned.organisations).toContainEqual({
      name: 'South Western Ambulance Service NHS Foundation Trust',
      aliases: ['South West Ambulance Service Foundation Trust', 'SWASFT', 'SWAST'],
    });
    // The same document again: 200, nothing written.
    const again = await post(instance, {
      fileName: DORSET,
      content: seed(DORSET).toString('utf8'),
      owner: 'Dorset Crisis Care Concordat partners',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().events).toBe(0);
    expect(await store.count()).toBe(48);
  });

  it('removes the control characters of a Word text export (its cell and field marks) with a warning naming each line', async () => {
    const { store, instance } = await app();
    const content = seed(DEVON)
      .toString('utf8')
      .replace(/(\S)(\s+)/, '$1\u0007$2');
    const response = await post(instance, { fileName: DEVON, content });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().warnings).toContainEqual(
      expect.objectContaining({ code: 'control-character', message: 'removed the control character U+0007' }),
    );
    const bodies = (await collect(store.readAll())).map((e) => JSON.stringify(e.data));
    expect(bodies.some((body) => body.includes('\\u0007'))).toBe(false);
  });

  it('reports without writing on ?dryRun=true', async () => {
    const { store, instance } = await app();
    const response = await post(instance, { fileName: DEVON, content: seed(DEVON).toString('utf8') }, '?dryRun=true');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, events: 7, recorded: { recommendations: 3, updates: 3 } });
    expect(await store.count()).toBe(0);
  });

  it('answers a malformed document with problem details naming the line, and writes nothing', async () => {
    const { store, instance } = await app();
    await post(instance, { fileName: DEVON, content: seed(DEVON).toString('utf8') });
    const before = await store.count();
    const response = await post(instance, { fileName: 'plan.csv', content: 'type,ref,text\nplan,p,"unterminated\n' });
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 422, code: 'csv-malformed', line: expect.any(Number) });
    expect(await store.count()).toBe(before);
  });

  it('refuses an Idempotency-Key with 400 idempotency-key-not-supported and writes nothing, as an import is identified by its document', async () => {
    const { store, instance } = await app();
    await post(instance, { fileName: DEVON, content: seed(DEVON).toString('utf8') });
    const before = await store.count();
    const body = { fileName: DORSET, content: seed(DORSET).toString('utf8'), owner: 'Dorset Crisis Care Concordat partners' };
    for (const key of ['import-1', 'x'.repeat(300)]) {
      const response = await instance.inject({ method: 'POST', url: '/imports', payload: body, headers: { 'idempotency-key': key } });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 400, code: 'idempotency-key-not-supported' });
      expect(response.json().detail).toContain('never writes it twice');
    }
    expect(await store.count()).toBe(before);
  });

  it('takes If-Match as the other writes do: 412 unless the plan still stands at that revision, 400 when malformed', async () => {
    const { store, instance } = await app();
    const body = { fileName: DORSET, content: seed(DORSET).toString('utf8'), owner: 'Dorset Crisis Care Concordat partners' };
    const send = (ifMatch: string) => instance.inject({ method: 'POST', url: '/imports', payload: body, headers: { 'if-match': ifMatch } });
    const before = await store.count();
    // A new plan stands at no revision: an If-Match naming one refuses it.
    const stale = await send('"3"');
    expect(stale.statusCode, stale.body).toBe(412);
    expect(stale.json()).toMatchObject({ status: 412, code: 'revision-mismatch', currentRevision: null });
    const malformed = await send('garbage');
    expect(malformed.statusCode, malformed.body).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'invalid-if-match' });
    expect(await store.count()).toBe(before);

    const written = await instance.inject({ method: 'POST', url: '/imports', payload: body });
    expect(written.statusCode, written.body).toBe(201);
    const planId = written.json().planId as string;
    const read = await instance.inject({ method: 'GET', url: `/plans/${planId}/events` });
    const revision = read.headers.etag!;
    const count = await store.count();
    // Sent again at the revision it stands at (as a write or a read of the plan names it): held, nothing new to write.
    for (const tag of [revision, `${revision.slice(0, -1)}@2026-11-23"`]) {
      const again = await send(tag);
      expect(again.statusCode, `${tag} ${again.body}`).toBe(200);
    }
    const behind = await send(`"${Number(JSON.parse(revision)) - 1}"`);
    expect(behind.statusCode, behind.body).toBe(412);
    expect(behind.json().currentRevision).toBe(Number(JSON.parse(revision)));
    expect(await store.count()).toBe(count);
  });

  it('refuses unknown fields in the body', async () => {
    const { store, instance } = await app();
    const response = await post(instance, { fileName: DEVON, content: 'x', actor: 'someone else' });
    expect(response.statusCode).toBe(400);
    expect(await store.count()).toBe(0);
  });
});

describe('POST /imports as a multipart upload', () => {
  const stores = useSqliteStores();

  /** A real multipart/form-data body, built by the platform's own FormData. */
  const form = async (file: Buffer, fileName: string, fields: Record<string, string> = {}) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    data.append('file', new Blob([new Uint8Array(file)]), fileName);
    const request = new Request('http://localhost/imports', { method: 'POST', body: data });
    return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
  };

  it('imports an uploaded file with the same summary as the JSON route', async () => {
    const store = stores.open();
    const instance = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    const response = await instance.inject({
      method: 'POST',
      url: '/imports',
      ...(await form(seed(DORSET), DORSET, { planId: 'dorset-2017' })),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ planId: 'dorset-2017', file: DORSET, events: 48, recorded: { actions: 14 } });
    expect(await store.count()).toBe(48);
  });

  it('refuses an upload sent with an Idempotency-Key before reading it, and writes nothing', async () => {
    const store = stores.open();
    const instance = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    const upload = await form(seed(DORSET), DORSET, { planId: 'dorset-2017' });
    const response = await instance.inject({
      method: 'POST',
      url: '/imports',
      payload: upload.payload,
      headers: { ...upload.headers, 'idempotency-key': 'upload-1' },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'idempotency-key-not-supported' });
    expect(await store.count()).toBe(0);
  });

  it('names a damaged .docx upload as damaged, and writes nothing', async () => {
    const store = stores.open();
    const instance = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    const response = await instance.inject({
      method: 'POST',
      url: '/imports',
      ...(await form(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]), 'plan.docx')),
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'damaged-file', detail: expect.stringMatching(/cut short or damaged/) });
    expect(await store.count()).toBe(0);
  });

  it('refuses a multipart body it cannot read (no boundary, or cut short inside the file) with 400 malformed-multipart, and writes nothing', async () => {
    const store = stores.open();
    const instance = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    for (const [what, headers, payload] of [
      ['no boundary', { 'content-type': 'multipart/form-data' }, 'x'],
      [
        'cut short',
        { 'content-type': 'multipart/form-data; boundary=b' },
        '--b\r\ncontent-disposition: form-data; name="file"; filename="plan.txt"\r\ncontent-type: text/plain\r\n\r\nAction 1',
      ],
    ] as const) {
      const response = await instance.inject({ method: 'POST', url: '/imports', headers, payload });
      expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
      expect(response.json(), what).toMatchObject({ code: 'malformed-multipart' });
    }
    expect(await store.count()).toBe(0);
  });

  it('refuses a second file, or a file in a part not named "file", with 400 unexpected-file, and writes nothing', async () => {
    const store = stores.open();
    const instance = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    const part = (name: string, fileName: string) =>
      `--b\r\ncontent-disposition: form-data; name="${name}"; filename="${fileName}"\r\ncontent-type: text/plain\r\n\r\nAction 1\r\n`;
    for (const [what, payload] of [
      ['a second file', `${part('file', 'plan.txt')}${part('file', 'other.txt')}--b--\r\n`],
      ['another part name', `${part('document', 'plan.txt')}--b--\r\n`],
    ] as const) {
      const response = await instance.inject({
        method: 'POST',
        url: '/imports',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
        payload,
      });
      expect(response.statusCode, `${what}: ${response.body}`).toBe(400);
      expect(response.json(), what).toMatchObject({ code: 'unexpected-file' });
    }
    expect(await store.count()).toBe(0);
  });
});
