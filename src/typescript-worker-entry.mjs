// Worker threads do not inherit tsx's loader, so each worker registers it before loading the
// TypeScript worker body (the one plain .mjs file: it must be loadable without tsx).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
