import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATH_SEGMENT } from '../../src/app/http/app.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/** An organisation's name may be 300 characters: its accountability view is found by it, however long it is once encoded. */
let r: ReadApp;
// 300 characters, each nine once percent-encoded (three UTF-8 bytes): the longest path segment a name can make.
const LONGEST = '€'.repeat(300);
const LONG = 'Office of the Police and Crime Commissioner for Devon, Cornwall and the Isles of Scilly (Joint Safeguarding Partnership)';

beforeAll(async () => {
  r = await openReadApp();
  await r.post('/plans', { planId: 'names', title: 'Names', kind: 'other', owner: 'Dorset CCG', ragLegend: [], effectiveOn: '2026-01' });
  await r.post('/plans/names/actions', {
    ref: '1',
    text: 'Led by a long name',
    leadOrganisations: [LONG],
    partnerOrganisations: [LONGEST],
    due: { kind: 'date', date: '2026-12-10' },
    effectiveOn: '2026-01-10',
  });
});
afterAll(() => r.close());

describe("an organisation's view by a long name", () => {
  it('answers by a name of 120 characters, and by one of 300 that fills the longest segment routed, at either clock', async () => {
    expect(encodeURIComponent(LONGEST)).toHaveLength(MAX_PATH_SEGMENT);
    for (const name of [LONG, LONGEST])
      for (const clock of ['', '?effectiveOn=2026-06']) {
        const answer = await r.get(`/organisations/${encodeURIComponent(name)}${clock}`);
        expect(answer.statusCode, `${name.slice(0, 20)} ${clock}`).toBe(200);
        expect(answer.json()).toMatchObject({ organisation: name });
      }
  });
});
