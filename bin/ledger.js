#!/usr/bin/env node
// The `ledger` command. TypeScript runs directly through tsx, so a fresh clone needs no build step; where a bundle
// built from the sources exactly as they are is on disk (src/bundle/command-bundle.js), that runs instead and starts faster.
import { importSourceModule } from '../src/bundle/bundled-module.js';

const { main } = await importSourceModule(new URL('../src/cli/main.ts', import.meta.url).href);
await main(process.argv);
