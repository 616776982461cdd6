/**
 * Starting a worker thread or a child process from a module beside the caller: the compiled `.js`
 * when it exists, or, when the code runs from its TypeScript sources (the unit tests), the `.ts`
 * loaded through tsx, so the tests run the threads and processes too.
 */
import { fork, type ChildProcess } from 'node:child_process';
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

/**
 * A child process running `js` (or its `.ts` through tsx), with an IPC channel that carries
 * structured clones (Buffers, typed arrays, Maps), as a worker thread's port does. It gets none of
 * this process's Node options (a profiler's, say), and its output and errors go where ours go.
 */
export function forkModule(js: URL): ChildProcess {
  const compiled = existsSync(fileURLToPath(js));
  const file = compiled ? fileURLToPath(js) : fileURLToPath(js).replace(/\.js$/, '.ts');
  return fork(file, [], {
    serialization: 'advanced',
    execArgv: compiled ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
