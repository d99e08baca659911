import { describe, expect, it } from 'vitest';
import { ambiguousDatePrefix, readDatePrefix } from '../../src/import/dates.ts';
import { isAcronymOf, splitLedBy } from '../../src/import/led-by.ts';
import { shippedAliasFile } from '../../src/organisations/organisation-aliases.ts';
import { readRevisionLine, readTimescale } from '../../src/import/timescale.ts';
import { loadOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';

describe('timescales as plans write them', () => {
  it.each([
    ['October 2015', { kind: 'date', date: '2015-10', wording: 'October 2015' }],
    ['End July 2015', { kind: 'date', date: '2015-07', wording: 'End July 2015' }],
    ['by the end of Sept 2017', { kind: 'date', date: '2017-09', wording: 'by the end of Sept 2017' }],
    ['15/08/22', { kind: 'date', date: '2022-08-15', wording: '15/08/22' }],
    ['Ongoing ', { kind: 'ongoing', wording: 'Ongoing' }],
    ['As per Suicide Prevention Action Plan', { kind: 'undated', wording: 'As per Suicide Prevention Action Plan' }],
    ['Q4 2016/17', { kind: 'date', date: '2017-03', wording: 'Q4 2016/17' }],
    ['Q1 2016/17', { kind: 'date', date: '2016-06', wording: 'Q1 2016/17' }],
    ['2016/17', { kind: 'date', date: '2017-03', wording: '2016/17' }],
    ['April 2016 – March 2017', { kind: 'date', date: '2017-03', wording: 'April 2016 – March 2017' }],
    ['From April 2018 to March 2019', { kind: 'date', date: '2019-03', wording: 'From April 2018 to March 2019' }],
    ["March '18", { kind: 'date', date: '2018-03', wording: "March '18" }],
    ['March 12, 2018', { kind: 'date', date: '2018-03-12', wording: 'March 12, 2018' }],
    ['Apr-Jun 2018', { kind: 'date', date: '2018-06', wording: 'Apr-Jun 2018' }],
    ['April - June 2018', { kind: 'date', date: '2018-06', wording: 'April - June 2018' }],
    ['Jan–Mar 2019', { kind: 'date', date: '2019-03', wording: 'Jan–Mar 2019' }],
    ['Qtr 2 2018/19', { kind: 'date', date: '2018-09', wording: 'Qtr 2 2018/19' }],
    ['Financial year 2018/19', { kind: 'date', date: '2019-03', wording: 'Financial year 2018/19' }],
    ['Dec-17', { kind: 'date', date: '2017-12', wording: 'Dec-17' }],
    ['31.03.2018', { kind: 'date', date: '2018-03-31', wording: '31.03.2018' }],
    ['2018/19 Q3', { kind: 'date', date: '2018-12', wording: '2018/19 Q3' }],
    ['18/19 Q4', { kind: 'date', date: '2019-03', wording: '18/19 Q4' }],
  ])('%s', (text, due) => {
    expect(readTimescale(text)).toEqual({ due });
  });

  it.each([
    ['31 September 2020', 'impossible-date', { kind: 'undated', wording: '31 September 2020' }],
    ['Q1 2016', 'ambiguous-quarter', { kind: 'date', date: '2016-03', wording: 'Q1 2016' }],
    ['2018', 'year-only-timescale', { kind: 'date', date: '2018-12', wording: '2018' }],
    ['Spring 2016', 'season-timescale', { kind: 'date', date: '2016-05', wording: 'Spring 2016' }],
    ['Winter 2018', 'season-timescale', { kind: 'date', date: '2019-02', wording: 'Winter 2018' }],
    ['by end of Summer 2018', 'season-timescale', { kind: 'date', date: '2018-08', wording: 'by end of Summer 2018' }],
    ['Sept 17 onwards', 'timescale-open-ended', { kind: 'ongoing', wording: 'Sept 17 onwards' }],
    ['Jan 2019 and ongoing', 'timescale-open-ended', { kind: 'ongoing', wording: 'Jan 2019 and ongoing' }],
    ['Ongoing from April 2018', 'timescale-open-ended', { kind: 'ongoing', wording: 'Ongoing from April 2018' }],
    ['Sept 2018 & ongoing', 'timescale-open-ended', { kind: 'ongoing', wording: 'Sept 2018 & ongoing' }],
    ['April 2018 and then ongoing', 'timescale-open-ended', { kind: 'ongoing', wording: 'April 2018 and then ongoing' }],
    ['Summer 18', 'season-timescale', { kind: 'date', date: '2018-08', wording: 'Summer 18' }],
    ["Autumn '18", 'season-timescale', { kind: 'date', date: '2018-11', wording: "Autumn '18" }],
    ['Winter 18/19', 'season-timescale', { kind: 'date', date: '2019-02', wording: 'Winter 18/19' }],
    ['From 31 April 2018', 'impossible-date', { kind: 'undated', wording: 'From 31 April 2018' }],
    ['Spring 2018/19', 'timescale-not-understood', { kind: 'undated', wording: 'Spring 2018/19' }],
    ['Spring/Summer 2018', 'season-timescale', { kind: 'date', date: '2018-08', wording: 'Spring/Summer 2018' }],
    ['Autumn/Winter 2018', 'season-timescale', { kind: 'date', date: '2019-02', wording: 'Autumn/Winter 2018' }],
    ['Spring/Autumn 2018', 'timescale-not-understood', { kind: 'undated', wording: 'Spring/Autumn 2018' }],
    ['Autumn term 2018', 'season-timescale', { kind: 'date', date: '2018-12', wording: 'Autumn term 2018' }],
    ['Spring term 2019', 'season-timescale', { kind: 'date', date: '2019-04', wording: 'Spring term 2019' }],
    ['Summer term 2018/19', 'season-timescale', { kind: 'date', date: '2019-07', wording: 'Summer term 2018/19' }],
    ['2018 Q1', 'ambiguous-quarter', { kind: 'date', date: '2018-03', wording: '2018 Q1' }],
    ['From Q2 2018/19', 'timescale-open-ended', { kind: 'ongoing', wording: 'From Q2 2018/19' }],
    ['Commenced June 2018', 'timescale-open-ended', { kind: 'ongoing', wording: 'Commenced June 2018' }],
  ])('%s is read with a warning (%s)', (text, code, due) => {
    expect(readTimescale(text)).toEqual({ due, warning: expect.objectContaining({ code }) });
  });

  // "By March 2019" is a deadline, not a start: the work continuing after it is no reason to drop the deadline.
  it.each([
    ['By March 2019 then ongoing', '2019-03'],
    ['by end of March 2019 and ongoing', '2019-03'],
    ['Deadline 31/03/19 - ongoing', '2019-03-31'],
    ['No later than June 2018 onwards', '2018-06'],
    ['By Q4 2018/19 then ongoing', '2019-03'],
  ])('%s is due at its deadline, not ongoing from it', (text, date) => {
    expect(readTimescale(text).due).toEqual({ kind: 'date', date, wording: text });
  });

  it('says of an ongoing timescale naming a date it cannot read as a start that it names a date, not that it names no end', () => {
    const reading = readTimescale('Ongoing until March 2019');
    expect(reading.due).toEqual({ kind: 'ongoing', wording: 'Ongoing until March 2019' });
    expect(reading.warning?.code).toBe('timescale-open-ended');
    expect(reading.warning?.message).toMatch(/^"Ongoing until March 2019" is ongoing and names a date: recorded as ongoing/);
    expect(readTimescale('April 2018 onwards').warning?.message).toMatch(/names a start \(2018-04\) and no end/);
  });

  it('finds the new timescale in a revision line', () => {
    expect(readRevisionLine('Revised to March 2018')).toBe('March 2018');
    expect(readRevisionLine('(Extended to June 2019)')).toBe('June 2019');
    expect(readRevisionLine('March 2018')).toBeUndefined();
  });

  it('finds the date that opens an update, and only a date', () => {
    expect(readDatePrefix('AUG 2017: Individual Placement Support')).toEqual({
      reading: { kind: 'date', date: '2017-08' },
      rest: 'Individual Placement Support',
      written: 'AUG 2017',
    });
    expect(readDatePrefix('AUG 2017   This now forms part')).toMatchObject({ reading: { date: '2017-08' }, rest: 'This now forms part' });
    expect(readDatePrefix('15/08/22 - The Trust has')).toMatchObject({ reading: { date: '2022-08-15' } });
    expect(readDatePrefix('(Aug 2017) Policy signed off')).toMatchObject({ reading: { date: '2017-08' }, rest: 'Policy signed off' });
    expect(readDatePrefix('Aug 2017 update: Policy signed off')).toMatchObject({ rest: 'Policy signed off' });
    expect(readDatePrefix('March 12, 2018 Policy signed off')).toEqual({
      reading: { kind: 'date', date: '2018-03-12' },
      rest: 'Policy signed off',
      written: 'March 12, 2018',
    });
    expect(readDatePrefix('Mar 3rd 2018: Policy signed off')).toMatchObject({ reading: { date: '2018-03-03' } });
    // A month, a day and a year with no comma or "th" read two ways (a day written month first, or a month and year and
    // a figure): not read as either (ambiguousDatePrefix names it); a month and year before a smaller figure stay a month.
    expect(readDatePrefix('AUG 17 2000 leaflets sent')).toBeUndefined();
    expect(ambiguousDatePrefix('AUG 17 2000 leaflets sent')).toBe('AUG 17 2000');
    expect(readDatePrefix('June 30 2018 – met with police')).toBeUndefined();
    expect(ambiguousDatePrefix('June 30 2018 – met with police')).toBe('June 30 2018');
    expect(readDatePrefix('Aug 17 500 leaflets sent')).toEqual({
      reading: { kind: 'date', date: '2017-08' },
      rest: '500 leaflets sent',
      written: 'Aug 17',
    });
    expect(readDatePrefix('June 30, 2018 – met with police')).toEqual({
      reading: { kind: 'date', date: '2018-06-30' },
      rest: 'met with police',
      written: 'June 30, 2018',
    });
    expect(readDatePrefix('June 30th 18 – met with police')).toMatchObject({ reading: { date: '2018-06-30' } });
    expect(readDatePrefix('Jun 30 18 – met with police')).toBeUndefined();
    expect(readDatePrefix('May be later than planned')).toBeUndefined();
    expect(readDatePrefix('Policy has been reviewed.')).toBeUndefined();
  });
});

describe('"Led by" cells', () => {
  const directory = loadOrganisationDirectory([shippedAliasFile]);

  it('splits leads from partners at "with", keeping names that contain "and" whole', () => {
    expect(
      splitLedBy(
        'Dorset Police with Acute trusts, British Transport Police, Dorset HealthCare and Local Authorities, Dorset Fire and Rescue Service',
        directory,
      ),
    ).toEqual({
      leads: ['Dorset Police'],
      partners: [
        'Acute Trusts',
        'British Transport Police',
        'Dorset HealthCare University NHS Foundation Trust',
        'Local Authorities',
        'Dorset Fire and Rescue Service',
      ],
      aliases: [],
    });
  });

  it('reads "X to lead with all other partners including …"', () => {
    const led = splitLedBy('Dorset HealthCare to lead with all other partners including SWASFT, Acute Trusts', directory);
    expect(led.leads).toEqual(['Dorset HealthCare University NHS Foundation Trust']);
    expect(led.partners).toEqual(['South Western Ambulance Service NHS Foundation Trust', 'Acute Trusts']);
  });

  it('treats a list without "with" as joint leads, and learns "Name (ACRONYM)" pairs', () => {
    const led = splitLedBy('Anyshire Mental Health Partnership (AMHP) and Anyshire County Council', directory);
    expect(led.leads).toEqual(['Anyshire Mental Health Partnership', 'Anyshire County Council']);
    expect(led.aliases).toEqual([{ name: 'Anyshire Mental Health Partnership', alias: 'AMHP' }]);
  });

  it('keeps an "and" inside an organisation\'s name the directory does not know', () => {
    const leads = (wording: string) => splitLedBy(wording, directory).leads;
    expect(leads('Devon and Cornwall Police')).toEqual(['Devon and Cornwall Police']);
    expect(leads('Avon and Wiltshire Mental Health Partnership NHS Trust')).toEqual([
      'Avon and Wiltshire Mental Health Partnership NHS Trust',
    ]);
    expect(leads('Kent and Medway NHS and Social Care Partnership Trust')).toEqual([
      'Kent and Medway NHS and Social Care Partnership Trust',
    ]);
    expect(leads('Hampshire Police and Crime Commissioner')).toEqual(['Hampshire Police and Crime Commissioner']);
    // A known name does not end inside another's "and": "Dorset Police", "Public Health" (an alias of Public Health Dorset).
    expect(leads('Dorset Police and Crime Commissioner')).toEqual(['Dorset Police and Crime Commissioner']);
    expect(leads('Public Health and Wellbeing Board')).toEqual(['Public Health and Wellbeing Board']);
    expect(leads('Office of the Police and Crime Commissioner for Dorset and Dorset Fire & Rescue Service')).toEqual([
      'Office of the Police and Crime Commissioner for Dorset',
      'Dorset Fire and Rescue Service',
    ]);
    expect(leads('Health & Wellbeing Board, Child and Adolescent Mental Health Services')).toEqual([
      'Health & Wellbeing Board',
      'Child and Adolescent Mental Health Services',
    ]);
  });

  it('parts two organisations at an "and" after a name that has ended', () => {
    const leads = (wording: string) => splitLedBy(wording, directory).leads;
    expect(leads('Bournemouth Borough Council and Anyshire County Council')).toEqual([
      'Bournemouth Borough Council',
      'Anyshire County Council',
    ]);
    expect(leads('Mental Health Trust & Social Services')).toEqual(['Mental Health Trust', 'Social Services']);
    expect(leads('Anyshire CCG and Devon and Cornwall Police')).toEqual(['Anyshire CCG', 'Devon and Cornwall Police']);
    // A name the directory knows ends where it ends, whatever its last word.
    expect(leads('Public Health and Anyshire Council')).toEqual(['Public Health Dorset', 'Anyshire Council']);
    // "Police and Crime", "Health and Wellbeing" join inside a name; "Police and" anything else does not.
    expect(leads('Dorset Police and Emergency Departments')).toEqual(['Dorset Police', 'Emergency Departments']);
    expect(leads('Dorset Police and Care Homes')).toEqual(['Dorset Police', 'Care Homes']);
    expect(leads('Dorset Police & Alcohol Services')).toEqual(['Dorset Police', 'Alcohol Services']);
    // A sector named as a lead ends there; a body named only by what it is begins a name of its own.
    expect(leads('Primary Care and Secondary Care')).toEqual(['Primary Care', 'Secondary Care']);
    expect(leads('Housing and Police')).toEqual(['Housing', 'Police']);
  });

  it('knows an acronym from its initials', () => {
    expect(isAcronymOf('SWASFT', 'South West Ambulance Service Foundation Trust')).toBe(true);
    expect(isAcronymOf('SWAST', 'South West Ambulance Service Foundation Trust')).toBe(true);
    expect(isAcronymOf('NHS England', 'Primary Care Commissioners')).toBe(false);
  });
});
