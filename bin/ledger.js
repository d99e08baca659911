#!/usr/bin/env node
// The `ledger` command. TypeScript runs directly through tsx, so a fresh clone needs no build step; where a bundle
// built from the sources exactly as they are is on disk (src/bundle/command-bundle.js), that runs instead and starts faster.
import { freshBundle } from '../src/bundle/bundled-module.js';

const loadBundled = async (bundle) => {
  // A stack trace names the source lines, not the bundle's.
  process.setSourceMapsEnabled(true);
  try {
    return (await import(bundle)).main;
  } catch (error) {
    // A build removed as this process began (a day after a newer one replaced it): the sources are still here.
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(new URL('.', bundle).pathname.split('/build-')[0]))
      return undefined;
    throw error;
  }
};

const bundle = freshBundle();
let main = bundle && (await loadBundled(bundle));
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
