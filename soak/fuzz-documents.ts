import fc from 'fast-check';
import fs from 'node:fs';

const read = (path: string) => fs.readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const CSV = read('docs/templates/plan-template.csv');
const JSON_PLAN = read('docs/templates/plan-template.json');
const TEXT = read('examples/plans/recommendation-actions-progress-update-2022.txt');

/** Lines of a document, each kept, dropped, doubled, swapped for another, or bent. */
const bentLines = (lines: string[]) =>
  fc
    .array(
      fc.record({
        line: fc.nat({ max: lines.length - 1 }),
        change: fc.oneof(
          fc.constant({ kind: 'drop' as const }),
          fc.constant({ kind: 'double' as const }),
          fc.record({ kind: fc.constant('replace' as const), text: fc.string({ maxLength: 200 }) }),
          fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 40 }) }),
          fc.record({ kind: fc.constant('cell' as const), cell: fc.nat({ max: 20 }), text: fc.string({ maxLength: 60 }) }),
        ),
      }),
      { maxLength: 8 },
    )
    .map((changes) => {
      const out = [...lines];
      for (const { line, change } of changes) {
        const current = out[line % out.length] ?? '';
        if (change.kind === 'drop') out.splice(line % out.length, 1);
        else if (change.kind === 'double') out.splice(line % out.length, 0, current);
        else if (change.kind === 'replace') out[line % out.length] = change.text;
        else if (change.kind === 'insert') {
          const at = change.at % (current.length + 1);
          out[line % out.length] = current.slice(0, at) + change.text + current.slice(at);
        } else {
          const cells = current.split(',');
          cells[change.cell % cells.length] = change.text;
          out[line % out.length] = cells.join(',');
        }
        if (out.length === 0) out.push('');
      }
      return out.join('\n');
    });

/** A JSON plan with values at random places swapped for any JSON. */
const bentJson = fc.array(fc.tuple(fc.nat(), fc.jsonValue()), { maxLength: 4 }).map((changes) => {
  const plan = JSON.parse(JSON_PLAN) as unknown;
  const places: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) {
        places.push([value, i]);
        walk(v);
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        places.push([value as Record<string, unknown>, k]);
        walk(v);
      }
    }
  };
  walk(plan);
  for (const [n, replacement] of changes) {
    const [container, key] = places[n % places.length]!;
    (container as Record<string | number, unknown>)[key] = replacement;
  }
  return JSON.stringify(plan);
});

/** A document for the importer: the templates and a real plan, bent; sometimes bytes of no format at all. */
export const fuzzDocument = () =>
  fc.oneof(
    { weight: 3, arbitrary: bentLines(CSV.split('\n')).map((content) => ({ fileName: 'fuzz.csv', content, planId: 'fuzz-csv' })) },
    { weight: 3, arbitrary: bentJson.map((content) => ({ fileName: 'fuzz.json', content, planId: 'fuzz-json' })) },
    {
      weight: 3,
      arbitrary: bentLines(TEXT.split('\n')).map((content) => ({
        fileName: 'fuzz.txt',
        content,
        planId: 'fuzz-text',
        owner: 'Fuzz Trust',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('fuzz.csv', 'fuzz.json', 'fuzz.txt', 'fuzz.bin'), fc.uint8Array({ maxLength: 2000 }))
        .map(([fileName, bytes]) => ({ fileName, content: bytes, planId: 'fuzz-bytes' })),
    },
  );
