// The `ledger` command's TypeScript bundled into a few files, so that a command starts without tsx's loader.
//
// Why: through tsx every module of the command (some 370, 215 of them the ledger's own) is resolved and loaded by
// loader hooks on another thread; `ledger view` spent about two thirds of its 0.9–1.1 s doing so before it read
// anything, and a command a script runs many times, or the tests' 250 processes, paid that each time. Bundled by
// esbuild (the transformer tsx itself uses), with the packages in node_modules left to Node, the same command starts
// in about 0.4 s.
//
// The bundle is only ever run when it was built from the sources as they are now: its manifest records the size and
// modification time of every file it was built from, and `bundledModule` compares them (a few ms of stat calls). A
// source edited, added to the import graph through an edited file, or checked out since gives no bundle, and
// bin/ledger.js runs the TypeScript through tsx as before. `npm install` builds it (postinstall) and so does the
// test suite's global setup; `node src/bundle/command-bundle.js` builds it by hand. LEDGER_CLI_BUNDLE=off never uses it.
//
// The modules worker threads run are bundled beside it (sharing its chunks), and src/typescript-worker-entry.mjs runs
// a thread's module from the bundle on the same terms: a worker also started in about a second through tsx.
//
// Each module keeps its own `import.meta.url` (the source file's), so paths a module finds beside it (templates, worker
// entries, examples, package.json) are the same bundled or not.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A folder per checkout: clones sharing one node_modules (a symlink) would otherwise each find the other's bundle stale.
const defaultCache = path.join(repositoryRoot, 'node_modules', '.cache', 'assurance-ledger-cli', repositoryRoot.replace(/[^\w.-]+/g, '_'));
const MAIN = 'src/cli/main.ts';
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
 * A build that is no longer the current one is removed once this old. A process started from it loads its modules as
 * it starts (a `ledger serve` among them), so one running longer has nothing left to read there.
 */
const KEEP_OLD_BUILDS_MS = 24 * 60 * 60 * 1000;

/** What a source file's stat says, compared by `bundledModule`: a stat is far cheaper than reading every file. */
const stampOf = (file) => {
  const stat = fs.statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
};

const readManifest = (cache) => JSON.parse(fs.readFileSync(path.join(cache, 'manifest.json'), 'utf8'));

/** The manifest of a bundle built from the sources exactly as they are on disk now, else undefined. */
const freshManifest = (root, cache) => {
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

/** esbuild would give every module the bundle's own `import.meta.url`: each keeps its source file's instead. */
const ownImportMetaUrl = (root) => ({
  name: 'own-import-meta-url',
  setup(build) {
    // The plain JavaScript too: this file, for one, finds the bundle from its own place.
    build.onLoad({ filter: /\.(ts|js|mjs)$/ }, async (args) => {
      if (path.relative(root, args.path).split(path.sep).includes('node_modules')) return undefined;
      const source = await fs.promises.readFile(args.path, 'utf8');
      const contents = source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
});

/**
 * Builds the bundle, unless the current one was built from the sources as they are. It goes into a new folder of
 * `cache`, and then the manifest is pointed at it (a rename, so a process starting meanwhile reads the old manifest or
 * the new one, never half of one). A source changed while the build read it leaves the manifest as it was: that
 * bundle would not match the sources. Returns what it did, for one line of output.
 */
export const buildBundle = async ({ root = repositoryRoot, cache = defaultCache } = {}) => {
  const current = freshManifest(root, cache);
  if (current) return { built: true, reused: true, files: Object.keys(current.inputs).length, folder: path.join(cache, current.build) };
  const { build } = await import('esbuild');
  fs.mkdirSync(cache, { recursive: true });
  const started = Date.now();
  const folder = fs.mkdtempSync(path.join(cache, 'build-'));
  const result = await build({
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
    plugins: [ownImportMetaUrl(root)],
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    inputs[file] = stampOf(path.join(root, file));
    if (fs.statSync(path.join(root, file)).mtimeMs >= started) {
      fs.rmSync(folder, { recursive: true, force: true });
      return { built: false, reason: `${file} changed while the bundle was built` };
    }
  }
  const manifest = path.join(cache, 'manifest.json');
  const written = `${manifest}.${process.pid}`;
  fs.writeFileSync(written, JSON.stringify({ build: path.basename(folder), entries: ENTRIES, inputs }));
  fs.renameSync(written, manifest);
  for (const other of fs.readdirSync(cache))
    if (other.startsWith('build-') && other !== path.basename(folder)) {
      const at = path.join(cache, other);
      if (Date.now() - fs.statSync(at).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(at, { recursive: true, force: true });
    }
  return { built: true, files: Object.keys(inputs).length, folder };
};

/**
 * Builds the bundle and says so in one line; never fails, as an install (npm's postinstall) must not fail over it: the
 * command then runs its TypeScript through tsx, as it does whenever the bundle is out of date.
 */
export const reportBuild = async () => {
  try {
    const done = await buildBundle();
    console.log(
      done.built
        ? `ledger: ${done.reused ? 'the bundle of' : 'bundled'} ${done.files} source files for a faster start` +
            `${done.reused ? ' is up to date' : ''} (${path.relative(process.cwd(), done.folder)})`
        : `ledger: not bundled: ${done.reason}; the command runs its TypeScript through tsx`,
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.log(`ledger: not bundled (${why}); the command runs its TypeScript through tsx`);
  }
};

// `node src/bundle/command-bundle.js` builds it by hand.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await reportBuild();
