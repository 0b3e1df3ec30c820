// A worker thread's entry (see in-worker.ts): checks the files it is given and posts the result.
// No top-level await: the bundle of this entry is CommonJS.
import {parentPort, workerData} from 'node:worker_threads';
import type {ManifestBytes} from '../files/read-manifests.js';
import {checkManifestBytes} from './file-check.js';

void checkManifestBytes(workerData as ManifestBytes[]).then((result) => parentPort?.postMessage(result));
