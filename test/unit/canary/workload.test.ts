import {describe, expect, it} from 'vitest';
import {canaryDeployment, imageWithTag, rolloutContainer, trackService,
  TRACK_LABEL} from '../../../src/core/canary/workload.js';
import type {KubeObject} from '../../../src/core/objects.js';

const primary: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name: 'reports', namespace: 'sparc', labels: {app: 'reports'}, resourceVersion: '7',
    annotations: {'sparc-mesh.io/canary-run': '{}'}},
  spec: {replicas: 2, selector: {matchLabels: {app: 'reports'}}, template: {
    metadata: {labels: {app: 'reports', [TRACK_LABEL]: 'primary'}, annotations: {'sparc-mesh.io/restartedAt': 't'},
      creationTimestamp: null},
    spec: {containers: [{name: 'sidecar', image: 'envoy:1'}, {name: 'reports', image: 'registry:5000/a/reports:1.0'}]},
  }},
  status: {readyReplicas: 2},
};

describe('the canary Deployment', () => {
  it("is the primary's spec with its own selector and track label and the new image of one container", () => {
    const canary = canaryDeployment(primary, 'reports', 'reports', 'registry:5000/a/reports:2.0');
    expect(canary.metadata).toEqual({name: 'reports-canary', namespace: 'sparc',
      labels: {app: 'reports', 'app.kubernetes.io/managed-by': 'sparc-mesh', [TRACK_LABEL]: 'canary'}});
    expect(canary.spec).toEqual({replicas: 2, selector: {matchLabels: {app: 'reports', [TRACK_LABEL]: 'canary'}},
      template: {
        metadata: {labels: {app: 'reports', [TRACK_LABEL]: 'canary'}, annotations: {'sparc-mesh.io/restartedAt': 't'}},
        spec: {
          containers: [{name: 'sidecar', image: 'envoy:1'}, {name: 'reports', image: 'registry:5000/a/reports:2.0'}],
        },
      }});
    expect(canary.status).toBeUndefined();
  });

  it('changes the container named like the service, the one named, or the first', () => {
    expect(rolloutContainer(primary, 'reports')).toMatchObject({name: 'reports'});
    expect(rolloutContainer(primary, 'other')).toMatchObject({name: 'sidecar'});
    expect(rolloutContainer(primary, 'reports', 'nope')).toBe('has no container "nope" (it has sidecar, reports)');
  });

  it.each([
    ['registry:5000/a/reports:1.0', 'registry:5000/a/reports:2.1'],
    ['registry:5000/a/reports', 'registry:5000/a/reports:2.1'],
    ['reports@sha256:abc', 'reports:2.1'],
    ['docker.io/library/nginx:1.27@sha256:abc', 'docker.io/library/nginx:2.1'],
  ])('--to-version 2.1 turns %s into %s', (image, expected) => {
    expect(imageWithTag(image, '2.1')).toBe(expected);
  });
});

describe('the track Services', () => {
  const service: KubeObject = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'reports', namespace: 'sparc'},
    spec: {selector: {app: 'reports'}, clusterIP: '10.0.0.1', ports: [{name: 'http', port: 8080, nodePort: 30080}]}};

  it("narrow the service's selector to one track, with its ports", () => {
    expect(trackService(service, 'reports', 'canary')).toEqual({apiVersion: 'v1', kind: 'Service',
      metadata: {name: 'reports-canary', namespace: 'sparc',
        labels: {'app.kubernetes.io/managed-by': 'sparc-mesh', [TRACK_LABEL]: 'canary'}},
      spec: {selector: {app: 'reports', [TRACK_LABEL]: 'canary'}, ports: [{name: 'http', port: 8080}]}});
  });

  it('cannot be made for a Service without a selector', () => {
    expect(trackService({...service, spec: {ports: []}}, 'reports', 'primary')).toContain('has no selector');
  });
});
