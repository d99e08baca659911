import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledModule, freshBundle } from '../../src/bundle/bundled-module.js';
import { buildBundle } from '../../src/bundle/command-bundle.js';
import { makeTempDir } from '../support/temp-dir.ts';
import { ledger, recordPlan } from './view-support.ts';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the ledger command bundled from its sources (src/bundle/command-bundle.js)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('is run only while every source it was built from is as it was: an edited or removed source, or its TypeScript or build settings changed, or one changed during the build, gives none; unchanged sources keep the bundle built, and one esbuild refuses leaves nothing', async () => {
    const dir = makeTempDir('ledger-bundle-');
    dirs.push(dir);
    // A copy of the sources, so that editing one here cannot reach the processes other tests start.
    const root = dir.file('repository');
    for (const folder of ['src', 'events', 'projections', 'examples', 'config'])
      fs.cpSync(path.join(repository, folder), path.join(root, folder), { recursive: true });
    fs.copyFileSync(path.join(repository, 'package.json'), path.join(root, 'package.json'));
    fs.copyFileSync(path.join(repository, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
    const place = { root, cache: dir.file('cache') };
    expect(freshBundle(place)).toBeUndefined();

    const built = await buildBundle(place);
    expect(built.built).toBe(true);
    // Built again from the same sources, it is the same bundle.
    expect(await buildBundle(place)).toEqual({ ...built, reused: true });
    const entry = freshBundle(place);
    expect(entry).toMatch(/^file:.*\/main\.js$/);
    // Each module keeps its own source's URL, so what it finds beside it is found bundled too: no file of the bundle,
    // chunks and worker modules included, asks for its own place.
    if (!built.built) throw new Error('not built');
    const files = fs.readdirSync(built.folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(6);
    expect(files.filter((file) => fs.readFileSync(path.join(built.folder, file), 'utf8').includes('import.meta'))).toEqual([]);
    // Readable by any user: an image builds it as root and runs it as another.
    expect(fs.statSync(built.folder).mode & 0o777).toBe(0o755);

    const edited = path.join(root, 'src/cli/view-options.ts');
    // Another modification time (an earlier one: a later one would be a change during the next build, below).
    const touched = new Date(fs.statSync(edited).mtimeMs - 60_000);
    fs.utimesSync(edited, touched, touched);
    expect(freshBundle(place)).toBeUndefined();

    expect((await buildBundle(place)).built).toBe(true);
    expect(freshBundle(place)).toBeDefined();
    fs.rmSync(path.join(root, 'events/business-date.ts'));
    expect(freshBundle(place)).toBeUndefined();
    fs.copyFileSync(path.join(repository, 'events/business-date.ts'), path.join(root, 'events/business-date.ts'));

    // How esbuild reads the TypeScript is part of what was built.
    expect((await buildBundle(place)).built).toBe(true);
    fs.appendFileSync(path.join(root, 'tsconfig.json'), '\n');
    expect(freshBundle(place)).toBeUndefined();
    // So is how the build asks esbuild for the bundle.
    expect((await buildBundle(place)).built).toBe(true);
    fs.appendFileSync(path.join(root, 'src/bundle/command-bundle.js'), '\n');
    expect(freshBundle(place)).toBeUndefined();
    // A bundle whose manifest does not record a setting was built before the build watched it: built again, not reused.
    expect((await buildBundle(place)).built).toBe(true);
    const manifestFile = path.join(place.cache, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { inputs: Record<string, string> };
    delete manifest.inputs['src/bundle/command-bundle.js'];
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const again = await buildBundle(place);
    expect(again).toMatchObject({ built: true });
    expect(again).not.toHaveProperty('reused');

    // A source esbuild cannot read fails the build, leaving no folder behind and the manifest as it was.
    const folders = () =>
      fs
        .readdirSync(place.cache)
        .filter((name) => name.startsWith('build-'))
        .sort();
    const before = folders();
    const broken = path.join(root, 'src/cli/copy-command.ts');
    const source = fs.readFileSync(broken, 'utf8');
    fs.appendFileSync(broken, '\nexport const broken = ;\n');
    await expect(buildBundle(place)).rejects.toThrow(/Unexpected ";"/);
    expect(folders()).toEqual(before);
    fs.writeFileSync(broken, source);

    // A source whose time is after the build began was written while esbuild read the sources: no manifest for that.
    const during = new Date(Date.now() + 60_000);
    fs.utimesSync(edited, during, during);
    const refused = await buildBundle(place);
    expect(refused).toEqual({ built: false, reason: 'src/cli/view-options.ts changed while the bundle was built' });
    expect(freshBundle(place)).toBeUndefined();
  });

  it('holds every module a worker thread is started with, so that no thread of a bundled command waits for tsx', () => {
    const named: string[] = [];
    const walk = (folder: string) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const file = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts'))
          for (const [, module] of fs.readFileSync(file, 'utf8').matchAll(/new URL\('(\.{1,2}\/[^']+\.ts)', import\.meta\.url\)/g))
            named.push(new URL(module!, pathToFileURL(file)).href);
      }
    };
    walk(path.join(repository, 'src'));
    walk(path.join(repository, 'projections'));
    expect(named.length).toBeGreaterThanOrEqual(5);
    expect(named.filter((module) => bundledModule(module) === undefined)).toEqual([]);
  });

  it('answers as the TypeScript run through tsx does, and is the one the tests run', async () => {
    // The suite's global setup bundles the command before any test starts a `ledger` process.
    expect(freshBundle()).toBeDefined();
    const dir = makeTempDir('ledger-bundle-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const asRead = ['view', 'plan', 'dorset', '--as-of', new Date().toISOString(), '--effective-on', '2017-09', '-d', dir.path];
    const bundled = await ledger(asRead);
    const throughTsx = await ledger(asRead, { LEDGER_CLI_BUNDLE: 'off' });
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(throughTsx.code, throughTsx.stderr).toBe(0);
    expect(bundled.stdout).toBe(throughTsx.stdout);
    expect(JSON.parse(bundled.stdout)).toMatchObject({ planId: 'dorset', effectiveOn: '2017-09' });

    const refusal = ['view', 'plan', 'dorset', '--effective-on', '2017-13', '-d', dir.path];
    const refusedBundled = await ledger(refusal);
    const refusedThroughTsx = await ledger(refusal, { LEDGER_CLI_BUNDLE: 'off' });
    expect(refusedBundled.code).toBe(2);
    expect({ code: refusedBundled.code, stderr: refusedBundled.stderr }).toEqual({
      code: refusedThroughTsx.code,
      stderr: refusedThroughTsx.stderr,
    });
  });
});
