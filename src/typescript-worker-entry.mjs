// A worker thread's entry: it runs the module named in its workerData (a TypeScript file's URL), from the bundle built
// from the sources exactly as they are (src/bundle/command-bundle.js) where there is one, else through tsx, as worker
// threads do not inherit the loader of the thread that started them. Plain JavaScript: it must load without tsx.
import { workerData } from 'node:worker_threads';
import { bundledModule } from './bundle/bundled-module.js';

const bundled = bundledModule(workerData.module);
if (bundled) {
  // A stack trace names the source lines, not the bundle's.
  process.setSourceMapsEnabled(true);
  await import(bundled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.module);
}
