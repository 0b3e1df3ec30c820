// observability status as data: readiness of a release's workloads and Prometheus's targets.
import {describe, expect, it} from 'vitest';
import {meshTargets, releaseWorkloads, scrapingLines, workloadReady} from '../../../src/core/observability/status.js';
import type {KubeObject} from '../../../src/core/objects.js';

const helmMade = (kind: string, name: string, spec: object, status: object, release = 'prometheus'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: {name, namespace: 'monitoring',
    annotations: {'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': 'monitoring'}},
  spec,
  status,
});

describe('observability status', () => {
  it('counts a workload Ready when all its desired pods are', () => {
    expect(workloadReady(helmMade('Deployment', 'grafana', {replicas: 2}, {readyReplicas: 2}))).toBe(true);
    expect(workloadReady(helmMade('Deployment', 'grafana', {replicas: 2}, {readyReplicas: 1}))).toBe(false);
    expect(workloadReady(helmMade('Deployment', 'grafana', {}, {}))).toBe(false);
    expect(workloadReady(helmMade('DaemonSet', 'node-exporter', {}, {desiredNumberScheduled: 3, numberReady: 3})))
      .toBe(true);
    expect(workloadReady(helmMade('DaemonSet', 'node-exporter', {}, {desiredNumberScheduled: 3, numberReady: 2})))
      .toBe(false);
  });

  it("takes a release's workloads by helm's annotations", () => {
    const ours = helmMade('Deployment', 'grafana', {}, {});
    const other = helmMade('Deployment', 'jaeger', {}, {}, 'jaeger');
    expect(releaseWorkloads([ours, other], 'prometheus', 'monitoring')).toEqual([ours]);
    expect(releaseWorkloads([ours], 'prometheus', 'elsewhere')).toEqual([]);
  });

  it("counts the mesh jobs' targets up and down, and says when a job has none", () => {
    const answer = {status: 'success', data: {activeTargets: [
      {labels: {job: 'istio-proxies'}, health: 'up'},
      {labels: {job: 'istio-proxies'}, health: 'down'},
      {labels: {job: 'istio-proxies'}, health: 'up'},
      {labels: {job: 'kubelet'}, health: 'up'},
    ]}};
    const jobs = meshTargets('istio', answer);
    expect(jobs).toEqual([{job: 'istio-proxies', up: 2, down: 1}, {job: 'istiod', up: 0, down: 0}]);
    expect(scrapingLines({reachable: true, jobs})).toBe(
      'Prometheus job istio-proxies: 2 up, 1 down\nPrometheus job istiod: 0 up, 0 down (no targets)\n',
    );
    expect(meshTargets('linkerd', {})).toEqual([{job: 'linkerd-proxies', up: 0, down: 0}, {job: 'linkerd-control-plane',
      up: 0, down: 0}]);
  });
});
