import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';

const open = useSecuredLedger();

/**
 * POST /ledger/checkpoints takes neither a parameter nor a body. Refused a parameter through the hook every admin's write
 * uses, it was told to "send the request's fields in its JSON body", and a body is refused too: advice that cannot be taken.
 */
describe('POST /ledger/checkpoints given a query parameter, in the assembled app', () => {
  it('is refused with advice it can follow, and signs nothing', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const admin = await ledger.keyFor('admin');
    const refused = await ledger.call(admin, { method: 'POST', url: '/ledger/checkpoints?treeSize=4' });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json().code).toBe('validation-failed');
    expect(refused.json().detail).toContain('a write takes no query parameters, and "treeSize" was given');
    expect(refused.json().detail).not.toMatch(/JSON body/);
    expect(refused.json().detail).toMatch(/signs the whole ledger as it stands/);
    const auditor = await ledger.keyFor('auditor');
    expect((await ledger.call(auditor, { method: 'GET', url: '/ledger/checkpoints/latest' })).statusCode).toBe(404);
    expect((await ledger.call(admin, { method: 'POST', url: '/ledger/checkpoints' })).statusCode).toBe(201);
  });
});
