// A local TCP listener whose every connection is forwarded to a pod's port through the
// Kubernetes API (KubeClient.openPodPort: pods/portforward, no kubectl), as `kubectl
// port-forward` does; for a Service, the pod and port are chosen once, at the start, as kubectl
// chooses them (core/service-backend.ts).
import {createServer, type Server, type Socket} from 'node:net';
import {ServiceBackendError, serviceBackend, serviceSelector} from '../../core/service-backend.js';
import type {KubeClient, NamespacedName} from './contract.js';

/** Where the listener listens; port 0 takes a free port. */
export interface ListenAddress {
  address: string;
  port: number;
}

export interface PortForward {
  /** The address and port it listens on (the free port it took, for port 0). */
  local: ListenAddress;
  pod: NamespacedName;
  podPort: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/** Told about each connection that could not be forwarded (the pod's side refused it, the API server failed). */
export type ConnectionFailure = (message: string) => void;

function listen(server: Server, where: ListenAddress): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({host: where.address, port: where.port}, () => {
      server.off('error', reject);
      const bound = server.address();
      resolve({address: where.address, port: typeof bound === 'object' && bound ? bound.port : where.port});
    });
  });
}

/** Connects one local connection to the pod's port; a failure ends it and is reported. */
async function bridge(client: KubeClient, pod: NamespacedName, podPort: number, socket: Socket,
  onFailure: ConnectionFailure): Promise<void>
{
  try {
    const remote = await client.openPodPort(pod, podPort);
    if (socket.destroyed) {
      remote.destroy();
      return;
    }
    remote.on('error', (error) => {
      onFailure(error.message);
      socket.destroy();
    });
    socket.on('error', () => remote.destroy());
    socket.on('close', () => remote.destroy());
    socket.pipe(remote);
    remote.pipe(socket);
  } catch (error) {
    onFailure(error instanceof Error ? error.message : String(error));
    socket.destroy();
  }
}

export async function forwardPodPort(client: KubeClient, pod: NamespacedName, podPort: number, where: ListenAddress,
  onFailure: ConnectionFailure): Promise<PortForward>
{
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    void bridge(client, pod, podPort, socket, onFailure);
  });
  const local = await listen(server, where);
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return {local, pod, podPort, close};
}

/** The ready pod and its port behind a Service port (number or name), as a port-forward picks them; ServiceBackendError when there is none. */
export async function serviceBackendOf(client: KubeClient, service: NamespacedName,
  port: number | string): Promise<{pod: NamespacedName; podPort: number}>
{
  const object = await client.get({apiVersion: 'v1', kind: 'Service', namespace: service.namespace,
    name: service.name});
  if (!object) {
    throw new ServiceBackendError(`Service ${service.namespace}/${service.name} does not exist`, 'no-service');
  }
  const labelSelector = serviceSelector(object);
  const pods = labelSelector
    ? await client.list(await client.resourceType('v1', 'Pod'), {namespace: service.namespace, labelSelector})
    : [];
  const backend = serviceBackend(object, pods, port);
  return {pod: {namespace: service.namespace, name: backend.pod}, podPort: backend.podPort};
}

/** A Service port (number or name) forwarded to the ready pod behind it; ServiceBackendError when there is none. */
export async function forwardServicePort(client: KubeClient, service: NamespacedName, port: number | string,
  where: ListenAddress, onFailure: ConnectionFailure): Promise<PortForward>
{
  const backend = await serviceBackendOf(client, service, port);
  return forwardPodPort(client, backend.pod, backend.podPort, where, onFailure);
}
