// The `ledger` command's TypeScript bundled into a few files, so that a command starts without tsx's loader.
//
// Why: through tsx every module of the command (some 370, 215 of them the ledger's own) is resolved and loaded by
// loader hooks on another thread; `ledger view` spent about two thirds of its 0.9–1.1 s doing so before it read
// anything, and a command a script runs many times, or the tests' 250 processes, paid that each time. Bundled by
// esbuild (the transformer tsx itself uses), with the packages in node_modules left to Node, the same command starts
// in about 0.4 s.
//
// The bundle is only ever run when it was built from the sources as they are now: src/bundle/bundled-module.js finds
// it and checks that. `npm install` builds it (postinstall), and so does the test suite's global setup;
// `node src/bundle/command-bundle.js` builds it by hand.
//
// The modules worker threads run are bundled beside it (sharing its chunks), and src/typescript-worker-entry.mjs runs
// a thread's module from the bundle on the same terms: a worker, too, took about half a second to start through tsx.
//
// Each module keeps its own `import.meta.url` (the source file's), so paths a module finds beside it (templates, worker
// entries, examples, package.json) are the same bundled or not.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultCache, freshManifest, MAIN, readManifest, repositoryRoot, stampOf } from './bundled-module.js';

/**
 * The modules worker threads run, each named by its URL to src/typescript-worker-entry.mjs (and the ledger reader a
 * rebuild's worker imports by URL). A module missing here still runs, through tsx; test/cli/command-bundle.e2e.test.ts
 * finds every module named so in the sources and fails if one is missing.
 */
const WORKER_MODULES = [
  'src/integrity/sqlite/chain-worker.ts',
  'src/integrity/sqlite/backend-check-worker.ts',
  'src/store/sqlite/worker-reader.ts',
  'projections/runner/rebuild-worker.ts',
  'projections/every-plan/view-worker.ts',
];
const ENTRIES = [MAIN, ...WORKER_MODULES];
/**
 * A build that is no longer the current one is removed a day after it was replaced. A process started from it loads
 * its modules as it starts (a `ledger serve` among them), and a worker thread started later takes the current build.
 */
const KEEP_OLD_BUILDS_MS = 24 * 60 * 60 * 1000;
/**
 * Files that shape the bundle without being bundled: how esbuild reads the TypeScript, esbuild itself, and this file,
 * which says how it is asked to build. A change to one of them makes the bundle stale, as a change of a source does.
 */
const SETTINGS = ['tsconfig.json', 'package.json', 'node_modules/esbuild/package.json', 'src/bundle/command-bundle.js'];
// Spelled apart, so that the rewrite below never rewrites this string, wherever this file ends up.
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

/**
 * esbuild would give every module the bundle's own `import.meta.url`: each keeps its source file's instead. Each file's
 * stamp is taken before it is read, into `stamps`, so that a change while the build runs shows as a stale bundle.
 */
const ownImportMetaUrl = (root, stamps) => ({
  name: 'own-import-meta-url',
  setup(build) {
    // The plain JavaScript too: bundled-module.js, for one, finds the bundle from its own place.
    build.onLoad({ filter: /\.(ts|js|mjs)$/ }, async (args) => {
      if (path.relative(root, args.path).split(path.sep).includes('node_modules')) return undefined;
      stamps.set(args.path, stampOf(args.path));
      const source = await fs.promises.readFile(args.path, 'utf8');
      const contents = source.replaceAll(IMPORT_META_URL, JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
});

/** The build the manifest names now, dated now: it was replaced now, and is kept a day from here. */
const markReplaced = (cache) => {
  try {
    const replaced = path.join(cache, readManifest(cache).build);
    if (fs.existsSync(replaced)) fs.utimesSync(replaced, new Date(), new Date());
  } catch {
    // No manifest yet, or one that cannot be read: nothing to mark.
  }
};

const removeOldBuilds = (cache, current) => {
  for (const other of fs.readdirSync(cache))
    if (other.startsWith('build-') && other !== current) {
      const at = path.join(cache, other);
      if (Date.now() - fs.statSync(at).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(at, { recursive: true, force: true });
    }
};

/**
 * Builds the bundle, unless the current one was built from the sources as they are. It goes into a new folder of
 * `cache`, readable by every user (an image builds it as root and runs as another), and then the manifest is pointed
 * at it (a rename, so a process starting meanwhile reads the old manifest or the new one, never half of one). A source
 * changed while the build read it leaves the manifest as it was: that bundle would not match the sources. Returns what
 * it did, for one line of output; a build esbuild refuses (a syntax error) throws, and leaves nothing behind.
 */
export const buildBundle = async ({ root = repositoryRoot, cache = defaultCache } = {}) => {
  const current = freshManifest(root, cache);
  // A manifest that does not record one of the settings was written by an older build, which did not watch it: built again.
  const recordsEverySetting = (manifest) => SETTINGS.every((file) => file in manifest.inputs || !fs.existsSync(path.join(root, file)));
  if (current && recordsEverySetting(current))
    return { built: true, reused: true, files: Object.keys(current.inputs).length, folder: path.join(cache, current.build) };
  const { build } = await import('esbuild');
  fs.mkdirSync(cache, { recursive: true });
  const started = Date.now();
  const folder = fs.mkdtempSync(path.join(cache, 'build-'));
  fs.chmodSync(folder, 0o755);
  const inputs = {};
  for (const file of SETTINGS) if (fs.existsSync(path.join(root, file))) inputs[file] = stampOf(path.join(root, file));
  const stamps = new Map();
  let result;
  try {
    result = await build({
      absWorkingDir: root,
      entryPoints: ENTRIES.map((entry) => path.join(root, entry)),
      // Each entry at its source's path (src/cli/main.js), the modules they share in chunks/.
      outbase: root,
      entryNames: '[dir]/[name]',
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: folder,
      metafile: true,
      sourcemap: 'linked',
      // Names as in the sources: esbuild renames a class or function whose name another module also uses, and the logs
      // name an error by its class (pino's `type`).
      keepNames: true,
      logLevel: 'silent',
      plugins: [ownImportMetaUrl(root, stamps)],
    });
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  for (const file of Object.keys(result.metafile.inputs)) {
    const at = path.join(root, file);
    inputs[file] = stamps.get(at) ?? stampOf(at);
    // Changed since it was read, or written after the build began (a file system keeping whole seconds may give both
    // the same time, which the second test catches when the first cannot).
    if (stampOf(at) !== inputs[file] || fs.statSync(at).mtimeMs >= started) {
      fs.rmSync(folder, { recursive: true, force: true });
      return { built: false, reason: `${file} changed while the bundle was built` };
    }
  }
  markReplaced(cache);
  const manifest = path.join(cache, 'manifest.json');
  const written = `${manifest}.${path.basename(folder)}`;
  fs.writeFileSync(written, JSON.stringify({ build: path.basename(folder), entries: ENTRIES, inputs }));
  fs.renameSync(written, manifest);
  removeOldBuilds(cache, path.basename(folder));
  return { built: true, files: Object.keys(inputs).length, folder };
};

/** The line that says what a build did. */
const outcomeLine = (done) =>
  done.built
    ? `ledger: ${done.reused ? 'the bundle of' : 'bundled'} ${done.files} files for a faster start` +
      `${done.reused ? ' is up to date' : ''} (${path.relative(process.cwd(), done.folder)})`
    : `ledger: not bundled: ${done.reason}; the command runs its TypeScript through tsx`;

/**
 * Builds the bundle and says so in one line; never fails, as an install (npm's postinstall) must not fail over it: the
 * command then runs its TypeScript through tsx, as it does whenever the bundle is out of date.
 */
export const reportBuild = async () => {
  try {
    console.log(outcomeLine(await buildBundle()));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.log(`ledger: not bundled (${why}); the command runs its TypeScript through tsx`);
  }
};

// `node src/bundle/command-bundle.js` builds it by hand, and in the Docker image, and exits 1 when it could not: an
// image that would start through tsx is a failed build, not a quiet one.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const done = await buildBundle();
  console.log(outcomeLine(done));
  if (!done.built) process.exitCode = 1;
}
