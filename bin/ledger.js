#!/usr/bin/env node
// The `ledger` command. TypeScript runs directly through tsx, so a fresh clone needs no build step; where a bundle
// built from the sources exactly as they are is on disk (src/bundle/command-bundle.js), that runs instead and starts faster.
import { importSourceModule } from '../src/bundle/bundled-module.js';

// SQLite reads a file name of the form file:…?immutable=1 as a URI only where this is set before better-sqlite3 first opens
// a database (it is read once per process): `ledger verify` opens a ledger with no -wal beside it that way, so that reading it
// creates no -wal or -shm (src/files/sqlite/read-only-open.ts). The ledger's own paths are absolute, never taken for one.
process.env.SQLITE_USE_URI ??= '1';

const { main } = await importSourceModule(new URL('../src/cli/main.ts', import.meta.url).href);
await main(process.argv);
