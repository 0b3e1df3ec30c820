// Worker thread of read-manifests: parses the documents it is given and posts the results
// back (structured clone, so values such as YAML timestamps arrive exactly as parsed here).
import {parentPort, workerData} from 'node:worker_threads';
import {parseManifests} from '../../core/manifests.js';
import type {ManifestText} from './read-manifests.js';

const documents = workerData as ManifestText[];
parentPort?.postMessage(documents.map(({text, name}) => parseManifests(text, name)));
