// Prometheus "in" the test cluster: a pod behind the Service that `observability setup` gives
// Prometheus (prometheus-kube-prometheus-prometheus in monitoring; made here when no setup
// made it), whose port kwok forwards to a real Prometheus on loopback. What `observability
// dashboard prometheus` and `observability status` reach through the API server's port-forward
// then answers as the stack's Prometheus would. kwok picks the forward up a moment later
// (whenKwokServes).
//
//   const prometheus = await startPrometheus({targets: []});
//   const pod = await servePrometheusPod(testKubeconfig(), 'e2e-prometheus-0', prometheus.port);
//   ...
//   await pod.remove();
import {execa} from 'execa';
import type {KubeObject} from '../../src/core/objects.js';
import {serviceBackend, serviceSelector} from '../../src/core/service-backend.js';
import {testbinPath} from '../cluster/testbin.js';
import {forwardPodPorts} from './kwok.js';

export const PROMETHEUS_SERVICE = {namespace: 'monitoring', name: 'prometheus-kube-prometheus-prometheus', port: 9090};

export interface PrometheusPod {
  /** Deletes the pod, and the Service when it was made here. */
  remove(): Promise<void>;
}

export async function servePrometheusPod(kubeconfig: string, podName: string,
  prometheusPort: number): Promise<PrometheusPod>
{
  const {namespace, name: serviceName, port} = PROMETHEUS_SERVICE;
  const kubectl = async (args: string[], input?: string) =>
    (await execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, ...args], {input})).stdout;
  const getJson = async <T>(args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json'])) as T;

  await kubectl(['create', 'namespace', namespace]).catch(() => undefined);
  // A Service that `observability setup` installed earlier in the run is used as it is.
  const existing = await execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, 'get', 'service', serviceName, '-n',
    namespace], {reject: false});
  const createdService = existing.exitCode !== 0;
  if (createdService) {
    await kubectl(['apply', '-f', '-'],
      JSON.stringify({apiVersion: 'v1', kind: 'Service', metadata: {name: serviceName, namespace},
        spec: {selector: {'app.kubernetes.io/name': 'prometheus'},
          ports: [{name: 'http-web', port, targetPort: port}]}}));
  }
  const service = await getJson<KubeObject>(['get', 'service', serviceName, '-n', namespace]);
  const selector = Object.fromEntries((serviceSelector(service) ?? '').split(',').map((term) => term.split('=')));
  await kubectl(['apply', '-f', '-'],
    JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: podName, namespace, labels: selector},
      spec: {
        containers: [{name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.16.0',
          ports: [{name: 'http-web', containerPort: port}]}],
      }}));
  await kubectl(['wait', '-n', namespace, '--for=condition=Ready', `pod/${podName}`, '--timeout=60s']);
  // Whichever ready pod a command picks behind the Service, its port leads to the real Prometheus.
  const pods = await getJson<{items: KubeObject[]}>(['get', 'pods', '-n', namespace, '-l', serviceSelector(service)!]);
  for (const pod of pods.items) {
    const backend = serviceBackend(service, [pod], port);
    await forwardPodPorts(kubeconfig, {namespace, name: backend.pod}, [{port: backend.podPort,
      to: {port: prometheusPort}}]);
  }
  return {
    async remove() {
      await kubectl(['delete', 'pod', podName, '-n', namespace, '--ignore-not-found', '--wait=false']);
      if (createdService) await kubectl(['delete', 'service', serviceName, '-n', namespace, '--ignore-not-found']);
    },
  };
}
