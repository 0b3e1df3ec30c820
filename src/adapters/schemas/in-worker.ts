// Schema checks of manifest files on a worker thread (file-check.ts), so that they run on a
// second core while the main thread parses the same files and runs the analysers. From the
// bundle the worker is dist/schema-worker.js; from the sources (tests, bin/dev.js) it is the
// TypeScript module, run through tsx.
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
import type {ManifestBytes} from '../files/read-manifests.js';
import {PACKAGE_ROOT} from '../../package-root.js';
import type {FileSchemaCheck} from './file-check.js';

function workerOf(files: readonly ManifestBytes[]): Worker {
  if (import.meta.url.endsWith('.ts')) {
    // A worker does not take tsx's hooks from `--import` before its entry loads on Node 20: it registers them itself.
    const tsx = createRequire(import.meta.url).resolve('tsx/esm/api');
    const entry = new URL('./schema-worker.ts', import.meta.url).href;
    return new Worker(`require(${JSON.stringify(tsx)}).register(); import(${JSON.stringify(entry)});`, {eval: true,
      workerData: files});
  }
  return new Worker(join(PACKAGE_ROOT, 'dist', 'schema-worker.js'), {workerData: files});
}

/**
 * Starts the checks; the promise gives their result, or undefined when the worker could not
 * do them (it failed to start or threw), and the caller then checks on its own thread.
 */
export function checkFilesInWorker(files: readonly ManifestBytes[]): Promise<FileSchemaCheck | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = workerOf(files);
    } catch {
      resolve(undefined);
      return;
    }
    worker.once('message', (result: FileSchemaCheck) => resolve(result));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}
