// A worker thread's entry: it runs the module named in its workerData (a TypeScript file's URL), from the bundle built
// from the sources exactly as they are (src/bundle/command-bundle.js) where there is one, else through tsx, as worker
// threads do not inherit the loader of the thread that started them. Plain JavaScript: it must load without tsx.
import { workerData } from 'node:worker_threads';
import { importSourceModule } from './bundle/bundled-module.js';

await importSourceModule(workerData.module);
