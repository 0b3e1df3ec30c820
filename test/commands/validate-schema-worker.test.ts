// validate's schema checks on a worker thread, for inputs large enough to pay for one: the
// report is the one the main thread alone gives, and a worker that fails or disagrees on
// what the files hold is replaced by the main thread's own checks.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {writeCorpus} from '../../scripts/bench/validate-corpus.js';
import {validateDeps, type ValidateDeps} from '../../src/actions/validate/deps.js';
import {validate, type ValidateResult} from '../../src/actions/validate/run.js';
import {checkFilesInWorker} from '../../src/adapters/schemas/in-worker.js';
import {createKubeClient} from '../../src/adapters/kube/client.js';

let dir: string;
let onThisThread: ValidateResult;

const baseDeps = validateDeps({connect: createKubeClient, now: () => Date.now()});
const run = (deps: Partial<ValidateDeps>) =>
  validate({paths: [dir], cluster: false, connection: {}, allNamespaces: false, suppress: [], failOn: 'error'}, {
    ...baseDeps,
    ...deps,
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-schema-worker-'));
  // About 1.2 MiB of manifests: over the size from which the checks move to a worker thread.
  await writeCorpus(dir, 350);
  // Schema problems for both threads to find: a field of the wrong type, a CEL rule compiled to
  // JavaScript, and one that needs the CEL evaluator (ServiceEntry's unix:// address).
  await writeFile(join(dir, 'broken.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken, namespace: team-00}
spec:
  replicas: two
  selector: {matchLabels: {app: broken}}
  template:
    metadata: {labels: {app: broken}}
    spec: {containers: [{name: app, image: app}]}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ports-without-selector, namespace: team-00}
spec:
  portLevelMtls: {"8080": {mode: DISABLE}}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: unix-relative, namespace: team-00}
spec:
  hosts: [x.example.com]
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints: [{address: "unix://relative.sock"}]
`);
  onThisThread = await run({checkFilesInWorker: undefined});
}, 120_000);

afterAll(async () => {
  await rm(dir, {recursive: true, force: true});
});

describe('schema checks on a worker thread', () => {
  it('give the report the main thread gives alone', async () => {
    const used: boolean[] = [];
    const result = await run({checkFilesInWorker: async (files) => {
      const checked = await checkFilesInWorker(files);
      used.push(checked !== undefined);
      return checked;
    }});
    expect(used).toEqual([true]);
    expect(result).toEqual(onThisThread);
    // Not vacuous: the three schema problems (SM0001) are in both reports.
    expect(
      onThisThread.report.findings.filter((finding) => finding.code === 'SM0001').map((finding) =>
        finding.resource?.name
      ),
    ).toEqual(['broken', 'ports-without-selector', 'unix-relative']);
  }, 120_000);

  it('fall back to the main thread when the worker fails or counts other objects', async () => {
    expect(await run({checkFilesInWorker: async () => undefined})).toEqual(onThisThread);
    expect(await run({checkFilesInWorker: async () => ({objects: 1, problems: [], notes: []})})).toEqual(onThisThread);
  }, 120_000);

  it('are not used for small inputs', async () => {
    const used: number[] = [];
    await validate({paths: ['test/fixtures/validate/good'], cluster: false, connection: {}, allNamespaces: false,
      suppress: [], failOn: 'none'}, {...baseDeps, checkFilesInWorker: async () => {
        used.push(1);
        return undefined;
      }});
    expect(used).toEqual([]);
  });
});
