import { describe, expect, it } from 'vitest';
import { claimedPrincipal } from '../../src/access/oidc-claims.ts';
import { toWebOidcSettings, WebOidcEnv } from '../../src/access/oidc-sign-in-config.ts';
import { requestForLog } from '../../src/http/request-log.ts';
import { readDate } from '../../src/web/forms/form-fields.ts';
import { BadTimeTravel, endOfLondonDay, keepTime, timeTravelOf } from '../../src/web/time-travel.ts';
import { stylesheetWithoutRemoteFonts } from '../../src/web/http/routes/asset-routes.ts';

const settings = (env: Record<string, string>) =>
  toWebOidcSettings(
    WebOidcEnv.parse({
      LEDGER_WEB_OIDC_ISSUER: 'https://idp.example',
      LEDGER_WEB_OIDC_CLIENT_ID: 'ledger',
      LEDGER_WEB_OIDC_CLIENT_SECRET: 'secret',
      LEDGER_WEB_OIDC_REDIRECT_URI: 'https://ledger.example/web/sign-in/callback',
      ...env,
    }),
  )!;
const directory = { canonical: (name: string) => (name === 'RDY' ? 'Dorset HealthCare University NHS Foundation Trust' : name) };
const cis2 = settings({ LEDGER_WEB_OIDC_PROFILE: 'cis2', LEDGER_WEB_OIDC_ROLE_MAP: '{"R1":"contributor","R2":"plan-manager"}' });
const roles = [
  { person_roleid: 'a', org_code: 'RDY', role_code: 'R1' },
  { person_roleid: 'b', org_code: 'X26', role_code: 'R2' },
];

describe('mapping an identity provider’s claims to a principal', () => {
  it('takes the CIS2 role the person selected, acting for its ODS code’s organisation', () => {
    const outcome = claimedPrincipal(
      cis2,
      { sub: 's', name: 'Pat', nhsid_nrbac_roles: roles, selected_roleid: 'a' },
      'https://idp.example',
      directory,
    );
    expect(outcome).toEqual({
      ok: true,
      principal: {
        via: 'oidc',
        subject: 's',
        issuer: 'https://idp.example',
        name: 'Pat',
        role: 'contributor',
        organisation: 'Dorset HealthCare University NHS Foundation Trust',
      },
    });
  });

  it('refuses two CIS2 roles with none selected, and roles this service does not know', () => {
    expect(claimedPrincipal(cis2, { sub: 's', nhsid_nrbac_roles: roles }, 'i', directory)).toMatchObject({
      ok: false,
      code: 'token-grants-no-role',
    });
    expect(
      claimedPrincipal(cis2, { sub: 's', nhsid_nrbac_roles: [{ person_roleid: 'c', org_code: 'RDY', role_code: 'R9' }] }, 'i', directory),
    ).toMatchObject({ ok: false });
  });

  it('needs an organisation for an Entra person: from configuration or a claim', () => {
    const entra = settings({ LEDGER_WEB_OIDC_PROFILE: 'entra' });
    expect(claimedPrincipal(entra, { sub: 's', roles: ['viewer'] }, 'i', directory)).toMatchObject({
      ok: false,
      code: 'token-names-no-organisation',
    });
    const tenant = settings({ LEDGER_WEB_OIDC_PROFILE: 'entra', LEDGER_WEB_OIDC_ORGANISATION: 'Dorset CCG' });
    expect(claimedPrincipal(tenant, { sub: 's', given_name: 'Sam', family_name: 'Lee', roles: ['viewer'] }, 'i', directory)).toMatchObject({
      ok: true,
      principal: { name: 'Sam Lee', role: 'viewer', organisation: 'Dorset CCG' },
    });
  });

  it('refuses an organisation claim naming two organisations at sign-in, rather than act for the first; two names of one are one', () => {
    const generic = settings({ LEDGER_WEB_OIDC_PROFILE: 'generic' });
    expect(
      claimedPrincipal(generic, { sub: 's', roles: ['plan-manager'], organisation: ['Dorset Police', 'RDY'] }, 'i', directory),
    ).toEqual({
      ok: false,
      code: 'token-names-no-organisation',
      detail: expect.stringContaining('more than one organisation (Dorset Police, Dorset HealthCare University NHS Foundation Trust)'),
    });
    const aliases = ['RDY', 'Dorset HealthCare University NHS Foundation Trust'];
    expect(claimedPrincipal(generic, { sub: 's', roles: ['plan-manager'], organisation: aliases }, 'i', directory)).toMatchObject({
      ok: true,
      principal: { organisation: 'Dorset HealthCare University NHS Foundation Trust' },
    });
  });

  it('refuses at sign-in a subject or an organisation a bearer token would be refused, rather than record them as who acted', () => {
    const generic = settings({ LEDGER_WEB_OIDC_PROFILE: 'generic' });
    const claims = { roles: ['viewer'], organisation: 'Dorset Police' };
    for (const sub of ['', ' s', 5, 'x'.repeat(196), 'a\tb', undefined])
      expect(claimedPrincipal(generic, { ...claims, sub }, 'i', directory), String(sub)).toMatchObject({
        ok: false,
        code: 'token-names-no-subject',
      });
    expect(claimedPrincipal(generic, { ...claims, sub: 's', organisation: 'O'.repeat(301) }, 'i', directory)).toMatchObject({
      ok: false,
      code: 'token-names-no-organisation',
    });
    expect(claimedPrincipal(generic, { ...claims, sub: 's' }, 'i', directory)).toMatchObject({ ok: true, principal: { subject: 's' } });
  });

  it('refuses half a configuration, and two client credentials', () => {
    expect(() => toWebOidcSettings(WebOidcEnv.parse({ LEDGER_WEB_OIDC_ISSUER: 'https://idp.example' }))).toThrow(/must be set together/);
    expect(() => settings({ LEDGER_WEB_OIDC_CLIENT_PRIVATE_KEY_FILE: '/nowhere.pem' })).toThrow(/exactly one/);
    expect(WebOidcEnv.safeParse({ LEDGER_WEB_OIDC_REDIRECT_URI: 'https://ledger.example/elsewhere' }).success).toBe(false);
  });
});

describe('small parts of the pages', () => {
  it('keeps authorization codes and states out of the request log', () => {
    const logged = requestForLog({
      method: 'GET',
      url: '/web/sign-in/callback?code=abc123&state=xyz&iss=https%3A%2F%2Fidp',
      host: 'h',
      ip: '1.2.3.4',
      socket: { remotePort: 5 },
    } as never);
    expect(logged.url).toBe('/web/sign-in/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fidp');
  });

  it('keeps an API key sent in the URL out of the request log, all but its key id', () => {
    const key = `al_${'a'.repeat(16)}_${'S'.repeat(43)}`;
    const logged = requestForLog({ method: 'GET', url: `/plans?api_key=${key}&k=${key}`, host: 'h', ip: '1.2.3.4', socket: {} } as never);
    expect(logged.url).toBe(`/plans?api_key=[redacted]&k=al_${'a'.repeat(16)}_[redacted]`);
  });

  it('reads day, month and year boxes as a business date at the precision given', () => {
    const field = { kind: 'date' as const, name: 'd', label: 'Date', dayOptional: true };
    expect(readDate(field, { 'd-day': '', 'd-month': '8', 'd-year': '2017' })).toEqual({ date: '2017-08' });
    expect(readDate(field, { 'd-day': '5', 'd-month': '8', 'd-year': '2017' })).toEqual({ date: '2017-08-05' });
    expect(readDate(field, { 'd-day': '', 'd-month': '13', 'd-year': '2017' }).error?.text).toContain('real date');
    expect(readDate({ ...field, dayOptional: false }, { 'd-month': '8', 'd-year': '2017' }).error?.text).toContain('must include a day');
  });

  it('takes a day asked about as the end of that London day, in summer and winter', () => {
    expect(endOfLondonDay('2017-01-31')).toBe('2017-01-31T23:59:59.999Z');
    expect(endOfLondonDay('2017-07-31')).toBe('2017-07-31T22:59:59.999Z');
    const now = new Date('2026-01-01T00:00:00Z');
    expect(timeTravelOf({ asOf: '2017-07-31' }, now)).toMatchObject({ past: true, asOf: '2017-07-31T22:59:59.999Z', live: false });
    // A day still to come is the present, named so that the page can say it read the present instead.
    expect(timeTravelOf({ asOf: '2030-01-01' }, now)).toEqual({
      past: false,
      stillToCome: 'the end of 1 January 2030',
      live: true,
      clocks: {},
      query: '',
    });
    expect(() => timeTravelOf({ asOf: '2017-02-30' }, now)).toThrow(/real date/);
    // An exact time is named to the second, with London's zone: the hour the clocks go back happens twice.
    const later = new Date('2027-01-01T00:00:00Z');
    expect(timeTravelOf({ asOf: '2026-10-25T00:30:05Z' }, later)).toMatchObject({ label: '25 October 2026 at 01:30:05 BST' });
    expect(timeTravelOf({ asOf: '2026-10-25T01:30:05.120Z' }, later)).toMatchObject({ label: '25 October 2026 at 01:30:05.120 GMT' });
    // An instant in a link is read as the API reads asOf: with its offset, on a day that exists.
    expect(timeTravelOf({ asOf: '2017-07-31T12:00:00+01:00' }, now)).toMatchObject({ asOf: '2017-07-31T11:00:00.000Z' });
    // Its + unencoded in a link arrives as a space: read, and shown again, as written.
    expect(timeTravelOf({ asOf: '2017-07-31T12:00 01:00' }, now)).toMatchObject({
      asOf: '2017-07-31T11:00:00.000Z',
      value: '2017-07-31T12:00+01:00',
      query: `asOf=${encodeURIComponent('2017-07-31T12:00+01:00')}`,
    });
    expect(() => timeTravelOf({ asOf: '2017-07-31T12:00:00' }, now)).toThrow(/an exact time with its offset/);
    expect(() => timeTravelOf({ asOf: '2017-02-30T12:00:00Z' }, now)).toThrow(BadTimeTravel);
  });

  it('reads what was true on a day or a month beside the ledger date, and keeps both on links', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const month = timeTravelOf({ effectiveOn: '2017-03' }, now);
    expect(month).toMatchObject({
      past: false,
      live: false,
      clocks: { effectiveOn: '2017-03' },
      effectiveLabel: 'by the end of March 2017',
    });
    const both = timeTravelOf({ asOf: '2018-01-01', effectiveOn: '2017-03-31' }, now);
    expect(both).toMatchObject({
      past: true,
      clocks: { asOf: '2018-01-01T23:59:59.999Z', effectiveOn: '2017-03-31' },
      effectiveLabel: 'on 31 March 2017',
    });
    expect(keepTime('/web/plans/dorset', both)).toBe('/web/plans/dorset?asOf=2018-01-01&effectiveOn=2017-03-31');
    expect(() => timeTravelOf({ effectiveOn: '2017-13' }, now)).toThrow(BadTimeTravel);
    // The month the ledger's day falls in is counted to that day, and named so, not by its end, a day still to come.
    expect(timeTravelOf({ effectiveOn: '2025-12' }, new Date('2025-12-04T12:00:00Z'))).toMatchObject({
      effectiveLabel: 'so far in December 2025 (to 4 December 2025)',
    });
    expect(timeTravelOf({ asOf: '2017-03-10', effectiveOn: '2017-03' }, now)).toMatchObject({
      effectiveLabel: 'so far in March 2017 (to 10 March 2017)',
    });
    // London's day: 23:30 UTC on 30 June is already 1 July there, so June is whole.
    expect(timeTravelOf({ effectiveOn: '2025-06' }, new Date('2025-06-30T23:30:00Z'))).toMatchObject({
      effectiveLabel: 'by the end of June 2025',
    });
  });

  it('serves nhsuk-frontend’s stylesheet without its remote font rules, and nothing else removed', () => {
    const css =
      'a{color:red}@font-face{font-family:F;src:url(https://assets.nhs.uk/f.woff2)}b{color:blue}@font-face{font-family:L;src:url(/local.woff)}';
    expect(stylesheetWithoutRemoteFonts(css)).toBe('a{color:red}b{color:blue}@font-face{font-family:L;src:url(/local.woff)}');
  });
});

/** An open action as the action calendar reads it: agreed on a date, due on another, never revised. */
const openAction = (ref: string, agreedOn: string, due: string) =>
  ({ ref, agreedOn, originalDue: { kind: 'date', date: due }, currentDue: { kind: 'date', date: due }, closure: null }) as never;

describe('the action calendar', () => {
  it('gives every captioned mark a row of its own where captions would overlap, and one dot per month of updates', async () => {
    const { actionTimelinePicture } = await import('../../src/web/action-timeline-svg.ts');
    const action = openAction('1.3', '2015-09', '2015-10');
    const update = (date: string) =>
      ({ type: 'ProgressUpdateRecorded', effectiveOn: { date, precision: 'month' }, changes: [], summary: '' }) as never;
    const picture = actionTimelinePicture(action, [update('2016-01'), update('2016-01'), update('2016-02')], '2026-03-01');
    const captioned = picture.marks.filter((m) => m.caption);
    expect(captioned.map((m) => m.caption!.text)).toEqual(['Agreed', 'First deadline', 'Today']);
    expect(captioned[0]!.caption!.y).not.toBe(captioned[1]!.caption!.y);
    expect(picture.marks.filter((m) => m.kind === 'update').map((m) => m.label)).toEqual([
      '2 updates in January 2016',
      '1 update in February 2016',
    ]);
    expect(picture.marks.every((m) => Number.isFinite(m.x))).toBe(true);
    expect(picture.description).toMatch(
      /^Action 1\.3 was agreed in September 2015 with a deadline of October 2015; 3 progress updates; still open\./,
    );
    // A date known to the day is said as a day.
    const onDays = actionTimelinePicture(
      { ...(action as object), agreedOn: '2015-09-15', closure: { kind: 'completed', effectiveOn: '2016-05-15' } } as never,
      [],
      '2026-03-01',
    );
    expect(onDays.description).toMatch(/^Action 1\.3 was agreed on 15 September 2015 .*; completed on 15 May 2016/);
    const revised = actionTimelinePicture(
      action,
      [
        {
          type: 'DeadlineRevised',
          effectiveOn: { date: '2017-08', precision: 'month' },
          changes: [
            {
              field: 'due',
              before: { kind: 'date', date: '2015-10', wording: 'October 2015' },
              after: { kind: 'date', date: '2018-03', wording: 'March 2018' },
            },
          ],
          summary: '',
        } as never,
      ],
      '2026-03-01',
    );
    expect(revised.marks.find((m) => m.kind === 'revision')!.label).toBe('Revised in August 2017 to March 2018');
  });
});

describe('dates before the year 1000', () => {
  it("put the action calendar's year marks where their years fall", async () => {
    const { actionTimelinePicture } = await import('../../src/web/action-timeline-svg.ts');
    const action = openAction('1.1', '0998-09', '0999-10');
    const picture = actionTimelinePicture(action, [], '1001-03-01');
    expect(picture.ticks.map((t) => t.label)).toEqual(['999', '1000', '1001']);
    const xs = picture.ticks.map((t) => t.x);
    expect(xs.every(Number.isFinite)).toBe(true);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('give the chart of what was true a column at every month end', async () => {
    const { statusOverBusinessTime } = await import('../../src/web/status-over-time.ts');
    const { agreed, registered } = await import('../projections/facts.ts');
    const { selectByBusinessDate } = await import('../../projections/clocks/select-facts.ts');
    const { foldPlanStatus } = await import('../../projections/plan-status/projection.ts');
    const { planLines } = await import('../../projections/plan-status/plan-lines.ts');
    const facts = [registered({ effectiveOn: '0999-06' }), agreed('1.1', { kind: 'date', date: '0999-09' }, { effectiveOn: '0999-07' })];
    // The plan's lines at each column's day, folded from its facts as the reader's reference does.
    const linesAt = async ({ effectiveOn }: { effectiveOn?: string | undefined }) => {
      const doc = foldPlanStatus(selectByBusinessDate(facts, effectiveOn));
      return doc && planLines(doc);
    };
    const chart = await statusOverBusinessTime(linesAt, '1001-01-01T00:00:00.000Z', '0999-10-15');
    expect(chart!.columns.map((c) => c.day)).toEqual(['0999-06-30', '0999-07-31', '0999-08-31', '0999-09-30', '0999-10-15']);
  });
});
