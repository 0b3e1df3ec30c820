// The seed's commands behind sparc-mesh's flags: linkerd viz edges, routes and tap, and
// istioctl analyze -n answered by validate's analysers.
import {chmod, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {runCommand} from '../../helpers/run-command.js';
import {allowFrom, namespace, pod, service} from './cluster-objects.js';

/** A stand-in linkerd that prints the arguments it was given, one per line. */
async function echoingLinkerd(): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'sparc-mesh-linkerd-')), 'linkerd');
  await writeFile(file, '#!/bin/sh\nfor arg in "$@"; do echo "$arg"; done\n');
  await chmod(file, 0o755);
  return file;
}

describe('debug edges, routes and tap', () => {
  it('hand the namespace, kubeconfig and context to linkerd viz as arguments', async () => {
    const linkerd = await echoingLinkerd();
    const routes = await runCommand(['debug', 'routes', 'deploy/checkout', '-n', 'shop', '--kubeconfig', '/k/config',
      '--context', 'staging', '--linkerd', linkerd]);
    expect(routes.status, routes.stderr).toBe(0);
    expect(routes.stdout.trim().split('\n')).toEqual(['viz', 'routes', 'deploy/checkout', '--namespace', 'shop',
      '--kubeconfig', '/k/config', '--context', 'staging']);
    const edges = await runCommand(['debug', 'edges', '-n', 'shop', '--linkerd', linkerd]);
    expect(edges.stdout.trim().split('\n')).toEqual(['viz', 'edges', 'deploy', '--namespace', 'shop']);
    const tap = await runCommand(['debug', 'tap', 'deploy/web', '--linkerd', linkerd]);
    expect(tap.stdout.trim().split('\n')).toEqual(['viz', 'tap', 'deploy/web']);
  });

  it('say once that linkerd is missing and how to install it, exit 1', async () => {
    const result = await runCommand(['debug', 'edges', '-n', 'shop', '--linkerd', '/nonexistent/linkerd']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: linkerd is not installed: "/nonexistent/linkerd" was not found\n'
      + 'Try: install the linkerd CLI with its viz extension (curl -sL https://run.linkerd.io/install-edge | sh, then add ~/.linkerd2/bin to PATH), or pass --linkerd PATH\n');
  });
});

describe('debug analyze', () => {
  it("reports validate's findings for the namespace and exits 3 on an error", async () => {
    const client = new FakeKubeClient({
      objects: [namespace('shop', {'istio-injection': 'enabled'}), pod('shop', 'checkout-1', {app: 'checkout'}),
        service('shop', 'checkout'), {...allowFrom('shop', 'checkout', ['cluster.local/ns/shop/sa/cart']),
        spec: {selector: {matchLabels: {app: 'checkout'}}, action: 'ALLOW', rules: [{}]}}],
    });
    const result = await runCommand(['debug', 'analyze', '-n', 'shop', '-o', 'json', '--kubeconfig',
      '/fake/kubeconfig'], {deps: {connect: async () => client}});
    expect(result.status).toBe(3);
    const codes = (JSON.parse(result.stdout) as {findings: {code: string}[]}).findings.map((finding) => finding.code);
    expect(codes).toContain('SM1020');
  });
});
