/**
 * Starting a worker thread from a module beside the caller: the compiled `.js` when it exists, or,
 * when the code runs from its TypeScript sources (the unit tests), the `.ts` loaded through tsx, so
 * the tests run the threads too.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `js` is the compiled module's URL (new URL('./x.js', import.meta.url)); its `.ts` is the fallback. */
export function startModuleWorker(js: URL, options: WorkerOptions = {}): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = js.href.replace(/\.js$/, '.ts');
  const boot = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(ts)}, ${JSON.stringify(ts)}))`;
  return new Worker(boot, { ...options, eval: true });
}
