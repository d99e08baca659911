import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NAMES = ['Zeta Trust', 'Ärzte Trust', 'Alpha Trust', 'alpha trust', 'Øst Council', 'Oslo Council'];

/** The names sorted as accountability lists and pages them, in a process started in `locale`. */
const orderIn = async (locale: string) => {
  const script =
    "import { compareNames } from './projections/plan-status/organisations.ts';" +
    `console.log(JSON.stringify(${JSON.stringify(NAMES)}.sort(compareNames)));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, LANG: locale, LC_ALL: locale },
  });
  return JSON.parse(stdout) as string[];
};

describe('the order of organisation names', () => {
  it('is one order in every process whatever its locale, so a page cursor from one instance pages on another', async () => {
    const english = await orderIn('en_GB.UTF-8');
    expect(english).toEqual(['alpha trust', 'Alpha Trust', 'Ärzte Trust', 'Oslo Council', 'Øst Council', 'Zeta Trust']);
    for (const locale of ['sv_SE.UTF-8', 'da_DK.UTF-8', 'C']) expect(await orderIn(locale), locale).toEqual(english);
  });
});
