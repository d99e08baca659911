import { buildBundle } from '../../src/bundle/command-bundle.js';

/**
 * Bundles the `ledger` command from the sources as they are before any test starts one: the suite starts about 250
 * `ledger` processes, each a second or so through tsx's loader and about 0.4 s bundled (src/bundle/command-bundle.js). A
 * bundle that could not be built is no failure: each process then runs the TypeScript through tsx, as it would.
 */
export default async function setup() {
  const done = await buildBundle();
  if (!done.built) console.log(`ledger: not bundled for the tests: ${done.reason}`);
}
