import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { openAsAttacker } from '../integrity/ledger-fixture.ts';
import { dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();
/** The page's words about the last verification, without their markup; undefined when it has none. */
const lastVerification = (html: string) =>
  /<p class="nhsuk-body" id="last-verification">([\s\S]*?)<\/p>/
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');

describe('the integrity page before Verify now', () => {
  it('says when the ledger was last verified, what that found and how long it took, once a verification has run', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'auditor');
    const before = await browser.get('/web/integrity');
    expect(before.statusCode).toBe(200);
    expect(lastVerification(before.body)).toBeUndefined();

    expect((await browser.get('/web/integrity/verify')).body).toContain('The ledger verified');
    expect(lastVerification((await browser.get('/web/integrity')).body)).toMatch(
      /The last verification of this ledger began .+ and took \d+\.\d seconds: it held \(the ledger: 4 events, 1 streams, \d+ checkpoints hold\)/,
    );

    // An entry changed under its hash: the next verification fails, and the page says so before anyone runs another.
    const db = openAsAttacker(path.join(ledger.dataDir, 'ledger.db'));
    db.exec(`UPDATE events SET body = replace(body, 'Mapping services', 'Mapping nothing') WHERE body LIKE '%Mapping services%'`);
    db.close();
    expect((await browser.get('/web/integrity/verify')).body).toContain('The ledger did not verify');
    expect(lastVerification((await browser.get('/web/integrity')).body)).toMatch(/took \d+\.\d seconds: it did not hold \(the ledger: /);
  });
});
