// Istio's CRDs in a test cluster, from `istioctl manifest generate` (the pinned istioctl): only
// the CRDs, because istiod cannot run under kwok and its webhooks would refuse every write.
import {execa} from 'execa';
import yaml from 'js-yaml';
import {testbinPath} from '../cluster/testbin.js';

export async function ensureIstioCrds(kubeconfig: string): Promise<void> {
  const kubectl = (args: string[], input?: string) =>
    execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, ...args], {input});
  const served = await execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, 'get', 'crd',
    'virtualservices.networking.istio.io'], {reject: false});
  if (served.exitCode === 0) return;
  const manifest = (await execa(testbinPath('istioctl'), ['manifest', 'generate', '--set', 'profile=minimal'])).stdout;
  const crds = yaml.loadAll(manifest).filter((doc) =>
    (doc as {kind?: string} | null)?.kind === 'CustomResourceDefinition'
  );
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=istioctl-manifest', '-f', '-'],
    JSON.stringify({apiVersion: 'v1', kind: 'List', items: crds}));
  await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
}
