import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The product's own code: what ships. Tests and benches may open SQLite files to tamper with or measure them. */
const PRODUCT_FOLDERS = ['src', 'projections', 'events', 'bin'];
const SOURCE = /\.(ts|mts|js|mjs|cjs)$/;
/** Any way of loading the module: a static import or export, a dynamic import, a require. */
const LOADS_BETTER_SQLITE = /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"]better-sqlite3['"]/;

const sourceFiles = (folder: string): string[] =>
  fs.existsSync(folder)
    ? fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(folder, entry.name);
        return entry.isDirectory() ? sourceFiles(full) : SOURCE.test(entry.name) ? [full] : [];
      })
    : [];

/** True when the file sits in a folder named sqlite (at any depth). */
const inSqliteFolder = (file: string) => path.relative(root, file).split(path.sep).slice(0, -1).includes('sqlite');

describe('the backend seam in the import graph', () => {
  const files = PRODUCT_FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder)));

  it('finds the product code it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((file) => LOADS_BETTER_SQLITE.test(fs.readFileSync(file, 'utf8')))).toBe(true);
  });

  it('loads better-sqlite3 only in folders named sqlite/, so every other part reaches storage through a port', () => {
    const outside = files
      .filter((file) => !inSqliteFolder(file) && LOADS_BETTER_SQLITE.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(outside).toEqual([]);
  });

  it('opens a ledger file only in the SQLite backend: serve and every command get their ledger from openBackend', () => {
    const opensLedger = /\b(openSqliteEventStore|openLedgerFile|createSqliteIntegrityStore)\(/;
    const openers = files
      .filter((file) => opensLedger.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file).split(path.sep).slice(0, -1).join('/'));
    expect(new Set(openers)).toEqual(new Set(['src/backend/sqlite']));
  });

  it('keeps the integrity code off the SQLite store adapter: no folder cycle between store and integrity', () => {
    const integrity = files.filter((file) => path.relative(root, file).startsWith(`src${path.sep}integrity${path.sep}`));
    const reachingIn = integrity
      .filter((file) => /from\s*['"][./]*store\/sqlite\//.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(integrity.length).toBeGreaterThan(20);
    expect(reachingIn).toEqual([]);
  });
});
