// onboard --enable-canary against the real control plane, with Flagger's CRD as the pinned
// Flagger release ships it (read in place from Go's module cache; Flagger itself does not
// run here, so nothing acts on the Canary): the API server accepts the Canary as rendered,
// and a second run changes nothing.
import {join} from 'node:path';
import {execa} from 'execa';
import {beforeAll, describe, expect, it} from 'vitest';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';
import {ensureIstioCrds} from './istio-crds.js';
import {pinnedModuleDir} from './pinned-module.js';

const NAMESPACE = 'e2e-canary';

async function kubectl(args: string[]): Promise<string> {
  return (await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args])).stdout;
}

beforeAll(async () => {
  await ensureIstioCrds(testKubeconfig());
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=flagger-crd', '-f',
    join(pinnedModuleDir('flagger'), 'artifacts/flagger/crd.yaml')]);
  await kubectl(['wait', '--for=condition=Established', 'crd/canaries.flagger.app', '--timeout=60s']);
  await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true', '--timeout=120s']);
});

describe('onboard --enable-canary against the cluster', () => {
  it('applies a Flagger Canary for the service that the API server accepts; a second run changes nothing', async () => {
    const args = ['onboard', '-s', 'reports', '-n', NAMESPACE, '-m', 'istio', '--profile', 'analytics',
      '--enable-canary', '--no-wait', '--kubeconfig', testKubeconfig()];
    const first = cli(args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Canary ${NAMESPACE}/reports created`);
    const canary = JSON.parse(await kubectl(['get', 'canary', 'reports', '-n', NAMESPACE, '-o', 'json'])) as {
      spec: {targetRef: {kind: string; name: string}; analysis: {metrics: unknown[]}};
    };
    expect(canary.spec.targetRef).toMatchObject({kind: 'Deployment', name: 'reports'});
    expect(canary.spec.analysis.metrics.length).toBeGreaterThan(0);

    const second = cli(args);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^nothing changed \(\d+ unchanged\)$/m);
  });
});
