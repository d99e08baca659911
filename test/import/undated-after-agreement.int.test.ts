import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { importer, ofType, planEvents } from './import-support.ts';

const HEADER = 'type,ref,about,text,timescale,due,leads,date,note';
/** A plan agreed in August 2017 whose action was agreed in September, with an undated update and, in a later version, new leads. */
const csv = (leads = 'Dorset Police') =>
  [
    HEADER,
    'plan,later-action,,A plan,,,Dorset CCG,2017-08,',
    `action,1,,Map the services,March 2018,2018-03,${leads},2017-09,`,
    'update,1,action,Mapping has begun,,,,,',
    '',
  ].join('\n');

describe('an undated fact about an action agreed after its plan', () => {
  const stores = useSqliteStores();

  it("is dated at the action's agreement, not before it, and the warning says so; a later version's lead change too", async () => {
    const store = stores.open();
    const run = importer(store);
    const first = await run({ fileName: 'plan.csv', content: csv() });
    expect(first.warnings).toContainEqual(
      expect.objectContaining({ code: 'update-undated', message: expect.stringContaining("or on its action's if that is later") }),
    );
    const events = await planEvents(store, 'later-action');
    expect(ofType(events, 'ProgressUpdateRecorded').map((e) => e.effectiveOn.date)).toEqual(['2017-09']);

    const again = await run({ fileName: 'plan.csv', content: csv() });
    expect(again.events).toBe(0);
    const moved = await run({ fileName: 'plan-v2.csv', content: csv('Dorset Police;Dorset CCG') });
    expect(moved.events).toBe(1);
    expect(ofType(await planEvents(store, 'later-action'), 'ActionLeadChanged').map((e) => e.effectiveOn.date)).toEqual(['2017-09']);
  });
});
