import { reportBuild } from '../../src/bundle/command-bundle.js';

/**
 * Bundles the `ledger` command from the sources as they are before any test starts one: the suite starts about 250
 * `ledger` processes, each a second or so through tsx's loader and about 0.4 s bundled (src/bundle/command-bundle.js). A
 * bundle that could not be built is no failure: each process then runs the TypeScript through tsx, as it would.
 */
export default async function setup() {
  // A source esbuild cannot read fails the tests that load it, as it did before the bundle, not the whole run.
  await reportBuild();
}
