import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** The calendar of an action's page: each mark's shape and its title, in the order drawn (left to right), and its description. */
const calendarOf = (html: string) => {
  const svg = /<svg class="al-timeline"[\s\S]*?<\/svg>/.exec(html)![0];
  const marks = [...svg.matchAll(/<g>\s*<title>([^<]*)<\/title>\s*<(\w+) class="([\w-]+)" (?:cx|x|x1|points)="([\d.]+)/g)].map((m) => ({
    title: m[1]!,
    shape: m[3]!,
    x: Number(m[4]),
  }));
  return {
    marks,
    captions: [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!),
    description: /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1]!,
  };
};

/** Dorset's action 1.3 withdrawn, then reopened, on these business dates; a viewer signed in to look at it. */
const withdrawnThenReopened = async (withdrawnOn: string, reopenedOn: string) => {
  const ledger = await open({}, { web: {} });
  const { manager } = await seedDorsetPlan(ledger);
  for (const [what, payload] of [
    ['withdrawal', { reason: 'Tracked by the suicide prevention plan instead', effectiveOn: withdrawnOn }],
    ['reopening', { reason: 'The board asked for it to stay on this plan', effectiveOn: reopenedOn }],
  ] as const) {
    const res = await ledger.call(manager, { method: 'POST', url: `/plans/dorset/actions/1.3/${what}`, payload });
    expect(res.statusCode, res.body).toBe(201);
  }
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return browser;
};

describe("a reopened action's calendar", () => {
  it('draws the reopening after the closure, and says the action is open again; at a date between the two, the closure alone', async () => {
    const browser = await withdrawnThenReopened('2016-06', '2016-09');

    const now = calendarOf((await browser.get('/web/plans/dorset/actions/1.3')).body);
    const closed = now.marks.find((m) => m.title === 'Action 1.3 withdrawn (June 2016)');
    const reopened = now.marks.find((m) => m.title === 'Action 1.3 reopened (September 2016)');
    expect(closed?.shape).toBe('al-completion');
    expect(reopened?.shape).toBe('al-reopened');
    expect(reopened!.x).toBeGreaterThan(closed!.x);
    expect(now.captions).toContain('Reopened');
    expect(now.description).toContain('; withdrawn in June 2016, then reopened in September 2016; open again.');
    expect(now.description).not.toContain('still open');

    // What was true in July 2016: withdrawn, and not yet reopened.
    const between = calendarOf((await browser.get('/web/plans/dorset/actions/1.3?effectiveOn=2016-07')).body);
    expect(between.marks.map((m) => m.shape)).toContain('al-completion');
    expect(between.marks.map((m) => m.shape)).not.toContain('al-reopened');
    expect(between.description).toContain('; withdrawn in June 2016. This page shows it as it stood on 31 July 2016.');
  });

  it('shows both a closure and its reopening in one month: the reopening an open ring around the closure, not a disc over it', async () => {
    const browser = await withdrawnThenReopened('2016-06', '2016-06');

    const html = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    const circle = (shape: string) => {
      const found = new RegExp(`<circle class="${shape}" cx="([\\d.]+)" cy="[\\d.]+" r="(\\d+)"( fill="none")?`).exec(html);
      return found && { x: Number(found[1]), r: Number(found[2]), open: found[3] !== undefined };
    };
    const closed = circle('al-completion');
    const reopened = circle('al-reopened');
    expect(closed && reopened).toBeTruthy();
    expect(reopened!.x).toBe(closed!.x);
    // Drawn after the closure, a ring wider than its dot and filled with nothing leaves the dot to be seen inside it.
    expect(reopened!.r).toBeGreaterThan(closed!.r);
    expect(reopened!.open).toBe(true);
    expect(closed!.open).toBe(false);
    expect(html).toContain('Wide open ring: reopened');
  });
});
