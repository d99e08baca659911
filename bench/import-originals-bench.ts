/**
 * Importing Word and Excel originals: a generated plan of 5,000 actions (two dated updates
 * each, a lead, a timescale, an outcome) as a .docx, an .xlsx, a Word text export and the
 * CSV format, each imported into a fresh ledger in a child process of its own, so peak
 * memory (maxRSS) is that import's alone. The CSV of the same plan, imported in the same
 * run, is the baseline: the ratios show what reading the originals costs.
 *   npm run bench -- import
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toDocx, toText, toXlsx, type FixtureBlock, type FixtureRow } from '../test/import/fixtures/plan-fixtures.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ACTIONS = 5000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export const generatedOriginal = (actions: number): FixtureBlock[] => {
  const rows: FixtureRow[] = [['No.', 'Action', 'Led by', 'Timescale', 'Progress', 'Outcomes']];
  for (let a = 0; a < actions; a++) {
    const ref = `${Math.floor(a / 50) + 1}.${(a % 50) + 1}`;
    rows.push([
      ref,
      `Improve the crisis pathway, part ${a + 1}`,
      'Dorset Police with Local Authorities',
      `${['March', 'June', 'September', 'December'][a % 4]} 20${20 + (a % 5)}`,
      `${MONTHS[a % 12]} 2021 Work started with partners.\n${MONTHS[(a + 3) % 12]} 2022 Next review in the spring.`,
      'People in crisis are seen sooner.',
    ]);
  }
  return [{ p: 'Generated crisis care action plan' }, { p: 'Progress update 15/08/2024' }, { table: rows }];
};

/** The same plan in the structured format: one row per fact. */
const toCsv = (blocks: FixtureBlock[]): string => {
  const table = (blocks[2] as { table: string[][] }).table.slice(1);
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = [
    'type,ref,text,timescale,leads,partners,led_by,outcomes,date',
    'plan,generated-csv,Generated crisis care action plan,,NHS Bench Trust,,,,2024-08-15',
  ];
  for (const [ref, text, ledBy, timescale, progress, outcome] of table) {
    lines.push(
      [
        'action',
        ref,
        quote(text!),
        quote(timescale!),
        'Dorset Police',
        'Local Authorities',
        quote(ledBy!),
        quote(outcome!),
        '2021-01',
      ].join(','),
    );
    for (const line of progress!.split('\n')) {
      const [month, year, ...rest] = line.split(' ');
      lines.push(
        ['update', ref, quote(rest.join(' ')), '', '', '', '', '', `${year}-${String(MONTHS.indexOf(month!) + 1).padStart(2, '0')}`].join(
          ',',
        ),
      );
    }
  }
  return `${lines.join('\n')}\n`;
};

const run1 = async (file: string) => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(here, 'import-originals-child.ts'), file], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ms: number; maxRssMiB: number; events: number; actions: number; bytes: number };
};

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-originals-bench-'));
  const blocks = generatedOriginal(ACTIONS);
  const files: [string, Buffer | string][] = [
    ['generated.csv', toCsv(blocks)],
    ['generated.docx', await toDocx(blocks)],
    ['generated.xlsx', await toXlsx(blocks)],
    ['generated.txt', toText(blocks)],
  ];
  const results: { name: string; r: Awaited<ReturnType<typeof run1>> }[] = [];
  for (const [name, content] of files) {
    fs.writeFileSync(path.join(dir, name), content);
    results.push({ name, r: await run1(path.join(dir, name)) });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const base = results[0]!.r;
  console.log(
    `\nImporting originals: ${ACTIONS} actions, ${ACTIONS * 2} updates (${os.cpus().length} cores, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  console.log(
    `  ${'file'.padEnd(16)} ${'size'.padStart(8)} ${'events'.padStart(7)} ${'time'.padStart(9)} ${'× CSV'.padStart(6)} ${'maxRSS'.padStart(9)} ${'× CSV'.padStart(6)}`,
  );
  for (const { name, r } of results)
    console.log(
      `  ${name.padEnd(16)} ${`${(r.bytes / 1048576).toFixed(1)} MB`.padStart(8)} ${String(r.events).padStart(7)} ${`${r.ms.toFixed(0)} ms`.padStart(9)} ${(r.ms / base.ms).toFixed(2).padStart(6)} ${`${r.maxRssMiB.toFixed(0)} MiB`.padStart(9)} ${(r.maxRssMiB / base.maxRssMiB).toFixed(2).padStart(6)}`,
    );
  if (results.some(({ r }) => r.actions !== ACTIONS)) throw new Error('bench: a format did not record every action');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
