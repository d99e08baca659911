#!/usr/bin/env node
// The `ledger` command. TypeScript runs directly through tsx, so a fresh clone needs no build step; where a bundle
// built from the sources exactly as they are is on disk (src/bundle/command-bundle.js), that runs instead and starts faster.
import { freshBundle } from '../src/bundle/command-bundle.js';

const bundle = freshBundle();
let main;
if (bundle) {
  // A stack trace names the source lines, not the bundle's.
  process.setSourceMapsEnabled(true);
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
