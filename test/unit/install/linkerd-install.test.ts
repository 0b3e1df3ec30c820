import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {imageTagOf, keepInstalledIdentity, LINKERD_NAMESPACE, linkerdHelmReleases, linkerdInstallVerdict,
  linkerdKubernetesVerdict, splitLinkerdInstall} from '../../../src/core/install/linkerd-install.js';
import {parseManifestStream} from '../../../src/core/manifest-stream.js';
import type {KubeObject} from '../../../src/core/objects.js';

const names = {valuesConfigMap: 'values', issuerSecret: 'issuer', trustRootsConfigMap: 'roots'};
const labels = {'app.kubernetes.io/managed-by': 'sparc-mesh'};
const rendered: KubeObject[] = [
  {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'values', namespace: LINKERD_NAMESPACE, labels},
    data: {'values.yaml': 'controllerReplicas: 1\nidentityTrustAnchorsPEM: NEW\n'}} as KubeObject,
  {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'issuer', namespace: LINKERD_NAMESPACE}},
  {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'roots', namespace: LINKERD_NAMESPACE}},
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'sparc'}},
  {apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: 'default-deny', namespace: 'sparc'}},
];

describe('Linkerd install data', () => {
  it('needs Kubernetes 1.31 or newer', () => {
    expect(linkerdKubernetesVerdict({major: 1, minor: 30, gitVersion: 'v1.30.9'}).problem).toMatch(
      /v1\.30\.9 is too old: Linkerd edge-26\.8\.3 needs 1\.31/,
    );
    expect(linkerdKubernetesVerdict({major: 1, minor: 31, gitVersion: 'v1.31.0'})).toEqual({});
    expect(linkerdKubernetesVerdict({major: 1, minor: 36, gitVersion: 'v1.36.3'})).toEqual({});
  });

  it('allows a fresh cluster and a re-run; refuses another release or namespace', () => {
    expect(linkerdInstallVerdict([], 'edge-26.8.3')).toEqual({});
    expect(linkerdInstallVerdict([{namespace: 'linkerd', version: 'edge-26.8.3'}], 'edge-26.8.3')).toEqual({});
    expect(linkerdInstallVerdict([{namespace: 'linkerd', version: 'edge-26.7.1'}], 'edge-26.8.3').problem).toMatch(
      /edge-26\.7\.1 is already installed/,
    );
    expect(linkerdInstallVerdict([{namespace: 'l5d', version: 'edge-26.8.3'}], 'edge-26.8.3').problem).toMatch(
      /namespace l5d/,
    );
    expect(linkerdInstallVerdict([{namespace: 'linkerd'}], 'edge-26.8.3').warning).toMatch(/unknown version/);
  });

  it('reads the image tag, not a registry port or a digest', () => {
    const deployment = (
      image: string,
    ): KubeObject => ({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'd'},
      spec: {template: {spec: {containers: [{image}]}}}} as KubeObject);
    expect(imageTagOf(deployment('cr.l5d.io/linkerd/controller:edge-26.8.3'))).toBe('edge-26.8.3');
    expect(imageTagOf(deployment('registry:5000/linkerd/controller'))).toBeUndefined();
    expect(imageTagOf(deployment('cr.l5d.io/linkerd/controller@sha256:abc'))).toBeUndefined();
  });

  it('splits a rendered install: the control plane namespace and identity first, the baseline after', () => {
    const parts = splitLinkerdInstall(rendered, names);
    expect(parts.values).toEqual({controllerReplicas: 1, identityTrustAnchorsPEM: 'NEW'});
    expect(parts.identity.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Namespace/linkerd',
      'ConfigMap/values', 'Secret/issuer', 'ConfigMap/roots']);
    expect(parts.identity[0]!.metadata.labels).toMatchObject({...labels,
      'config.linkerd.io/admission-webhooks': 'disabled'});
    expect(parts.baseline.map((object) => object.metadata.name)).toEqual(['sparc', 'default-deny']);
    expect(linkerdHelmReleases(parts.values).map((release) => `${release.name}:${JSON.stringify(release.values)}`))
      .toEqual(['linkerd-crds:{}', 'linkerd-control-plane:{"controllerReplicas":1,"identityTrustAnchorsPEM":"NEW"}']);
  });

  it('keeps the installed identity: no new issuer or roots, the installed anchors in the values and their ConfigMap', () => {
    const kept = keepInstalledIdentity(splitLinkerdInstall(rendered, names), names, 'OLD');
    expect(kept.values.identityTrustAnchorsPEM).toBe('OLD');
    expect(kept.identity.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Namespace/linkerd',
      'ConfigMap/values']);
    const carried = yaml.load((kept.identity[1] as KubeObject & {data: Record<string, string>}).data['values.yaml']!);
    expect(carried).toEqual({controllerReplicas: 1, identityTrustAnchorsPEM: 'OLD'});
  });

  it('refuses a render without the values ConfigMap', () => {
    expect(() => splitLinkerdInstall(rendered.slice(1), names)).toThrow(/no ConfigMap values in linkerd/);
  });
});

describe('parseManifestStream', () => {
  it('reads the objects of a YAML stream, skipping empty documents', () => {
    const objects = parseManifestStream(
      '---\n# comment\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
      'tool',
    );
    expect(objects.map((object) => object.metadata.name)).toEqual(['a', 'b']);
  });

  it('names a document that is not an object', () => {
    expect(() =>
      parseManifestStream('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\njust text\n', 'linkerd install')
    ).toThrow('linkerd install: document 2 is not a Kubernetes object');
  });
});
