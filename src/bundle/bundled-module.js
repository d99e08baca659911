// Finds the bundled build of a source module (src/bundle/command-bundle.js makes the bundle). No build code here:
// bin/ledger.js, the worker entry and a rebuild's worker load this on every start, and the bundle holds it too.
//
// A bundle is only ever run when it was built from the sources as they are now: its manifest records the size and
// modification time of every file it was built from (and of tsconfig.json, package.json, esbuild's own package.json
// and the build's own file, command-bundle.js), and `bundledModule` compares them, a few ms of stat calls. A source
// edited, added to the import graph through an edited file, or checked out since gives no bundle, and the caller runs
// the TypeScript through tsx.
// LEDGER_CLI_BUNDLE=off never uses it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A folder per checkout: clones sharing one node_modules (a symlink) would otherwise each find the other's bundle stale.
export const defaultCache = path.join(
  repositoryRoot,
  'node_modules',
  '.cache',
  'assurance-ledger-cli',
  repositoryRoot.replace(/[^\w.-]+/g, '_'),
);
export const MAIN = 'src/cli/main.ts';

/** What a file's stat says, compared by `bundledModule`: a stat is far cheaper than reading every file. */
export const stampOf = (file) => {
  const stat = fs.statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
};

export const readManifest = (cache) => JSON.parse(fs.readFileSync(path.join(cache, 'manifest.json'), 'utf8'));

/** The manifest of a bundle built from the sources exactly as they are on disk now, else undefined. */
export const freshManifest = (root, cache) => {
  if (process.env.LEDGER_CLI_BUNDLE === 'off') return undefined;
  try {
    const manifest = readManifest(cache);
    if (!Array.isArray(manifest.entries)) return undefined;
    for (const [file, stamp] of Object.entries(manifest.inputs)) if (stampOf(path.join(root, file)) !== stamp) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
};

/**
 * The URL of the bundled build of the source module at `sourceUrl`, when a bundle built from the sources exactly as they
 * are on disk now holds it, else undefined. Never throws: no bundle, a manifest it cannot read or a source gone all mean
 * "run the sources".
 */
export const bundledModule = (sourceUrl, { root = repositoryRoot, cache = defaultCache } = {}) => {
  const manifest = freshManifest(root, cache);
  if (!manifest || !sourceUrl.startsWith('file:')) return undefined;
  const source = path.relative(root, fileURLToPath(sourceUrl)).split(path.sep).join('/');
  if (!manifest.entries.includes(source)) return undefined;
  const output = path.join(cache, manifest.build, source.replace(/\.ts$/, '.js'));
  return fs.existsSync(output) ? pathToFileURL(output).href : undefined;
};

/** The URL of the bundled `ledger` command, as bundledModule gives it. */
export const freshBundle = (place = {}) => bundledModule(pathToFileURL(path.join(place.root ?? repositoryRoot, MAIN)).href, place);

/**
 * Imports the source module at `sourceUrl`: its bundled build where a fresh bundle holds it, else the TypeScript
 * through tsx, registered in this thread first. bin/ledger.js and every worker thread start this way.
 */
export const importSourceModule = async (sourceUrl) => {
  const bundled = bundledModule(sourceUrl);
  if (bundled) {
    // A stack trace names the source lines, not the bundle's.
    process.setSourceMapsEnabled(true);
    try {
      return await import(bundled);
    } catch (error) {
      // A build removed as this began (a day after a newer one replaced it), or a package missing: the sources run, or
      // say which package.
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(sourceUrl);
};
