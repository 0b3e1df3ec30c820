// What kwok, the test cluster's kubelet, answers for a pod: its ports forwarded to local
// addresses (`kubectl port-forward`, client-node's PortForward) and its containers' logs read
// from local files (`kubectl logs`). kwok matches these objects to a pod by name and
// namespace, and picks them up through a watch, a moment after they are created:
//
//   await forwardPodPorts(kubeconfig, {namespace: 'shop', name: 'web-0'}, [{port: 80, to: {port: 8080}}]);
//   await writeContainerLog(file, ['started', 'listening on :80']);
//   await servePodLogs(kubeconfig, {namespace: 'shop', name: 'web-0'}, [{container: 'web', file}]);
import {writeFile} from 'node:fs/promises';
import {execa} from 'execa';
import {testbinPath} from '../cluster/testbin.js';

export interface PodName {
  namespace: string;
  name: string;
}

export interface PortForwardRule {
  /** The pod's port, as a port-forward asks for it. */
  port: number;
  /** Where kwok connects instead; the address defaults to 127.0.0.1. */
  to: {address?: string; port: number};
}

export interface ContainerLogRule {
  container: string;
  /** A file in the CRI log format (writeContainerLog writes one). */
  file: string;
  /** What `kubectl logs --previous` reads. */
  previousFile?: string;
}

/** kwok's object of `kind` for a pod: kwok finds it by the pod's name and namespace. */
async function declareForPod(kubeconfig: string, kind: 'PortForward' | 'Logs', pod: PodName,
  spec: Record<string, unknown>): Promise<void>
{
  const object = {apiVersion: 'kwok.x-k8s.io/v1alpha1', kind, metadata: {name: pod.name, namespace: pod.namespace},
    spec};
  await execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], {
    input: JSON.stringify(object),
  });
}

/** Declares where the pod's ports lead; replaces what was declared for that pod before. */
export async function forwardPodPorts(kubeconfig: string, pod: PodName, rules: PortForwardRule[]): Promise<void> {
  const forwards = rules.map(({port, to}) => ({ports: [port],
    target: {address: to.address ?? '127.0.0.1', port: to.port}})
  );
  await declareForPod(kubeconfig, 'PortForward', pod, {forwards});
}

/** Declares which file holds each container's log; replaces what was declared for that pod before. */
export async function servePodLogs(kubeconfig: string, pod: PodName, rules: ContainerLogRule[]): Promise<void> {
  const logs = rules.map(({container, file, previousFile}) => ({containers: [container], logsFile: file,
    ...(previousFile ? {previousLogsFile: previousFile} : {})})
  );
  await declareForPod(kubeconfig, 'Logs', pod, {logs});
}

/**
 * Writes lines as a container runtime logs them (the CRI format kwok reads, as the kubelet
 * does: `TIME STREAM F TEXT`), one second apart ending at `end`, all on stdout.
 */
export async function writeContainerLog(file: string, lines: string[], end = new Date()): Promise<void> {
  const text = lines.map((line, index) => {
    const time = new Date(end.getTime() - (lines.length - 1 - index) * 1000).toISOString();
    return `${time} stdout F ${line}\n`;
  }).join('');
  await writeFile(file, text);
}
