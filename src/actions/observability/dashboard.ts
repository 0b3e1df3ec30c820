// `observability dashboard NAME`: the user interface of one part of the observability stack,
// reached through a port-forward to its Service (adapters/kube/port-forward.ts) and given as a
// local URL. The table says which Service and port each is, as `observability setup` installs
// them (kube-prometheus-stack as release `prometheus`, Jaeger v2 as `jaeger`, Kiali, Linkerd Viz).
import type {KubeConnection} from '../../adapters/kube/client.js';
import {forwardServicePort, type ConnectionFailure, type ListenAddress} from '../../adapters/kube/port-forward.js';
import {ServiceBackendError} from '../../core/service-backend.js';
import {PreconditionError, UsageError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';

export const DASHBOARD_NAMES = ['grafana', 'prometheus', 'jaeger', 'kiali', 'viz'] as const;
export type DashboardName = typeof DASHBOARD_NAMES[number];

export interface Dashboard {
  /** Where `observability setup` installs it unless told otherwise. */
  namespace: string;
  service: string;
  /** The Service's port. */
  port: number;
  /** The local port it is usually reached on (`kubectl port-forward` in the docs, `linkerd viz dashboard`). */
  localPort: number;
}

export const DASHBOARDS: Readonly<Record<DashboardName, Dashboard>> = {
  grafana: {namespace: 'monitoring', service: 'prometheus-grafana', port: 80, localPort: 3000},
  prometheus: {namespace: 'monitoring', service: 'prometheus-kube-prometheus-prometheus', port: 9090, localPort: 9090},
  jaeger: {namespace: 'monitoring', service: 'jaeger', port: 16686, localPort: 16686},
  kiali: {namespace: 'monitoring', service: 'kiali', port: 20001, localPort: 20001},
  viz: {namespace: 'linkerd-viz', service: 'web', port: 8084, localPort: 50750},
};

export interface DashboardInput {
  connection: KubeConnection;
  name: DashboardName;
  /** The namespace of its Service; the table's when absent. */
  namespace?: string;
  local: ListenAddress;
}

export interface DashboardSession {
  name: DashboardName;
  /** http://ADDRESS:PORT/ */
  url: string;
  service: {namespace: string; name: string; port: number};
  pod: string;
  podPort: number;
  /** Stops listening and ends every forwarded connection. */
  close(): Promise<void>;
}

/** http://HOST:PORT/, with an IPv6 address in brackets. */
function urlOf({address, port}: ListenAddress): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
}

/** Forwards a local port to the dashboard's Service until close(); onFailure hears of connections that failed. */
export async function openDashboard(input: DashboardInput, deps: Pick<ActionDeps, 'connect'>,
  onFailure: ConnectionFailure): Promise<DashboardSession>
{
  const dashboard = DASHBOARDS[input.name];
  const service = {namespace: input.namespace ?? dashboard.namespace, name: dashboard.service, port: dashboard.port};
  const client = await deps.connect(input.connection);
  try {
    const forward = await forwardServicePort(client, service, service.port, input.local, onFailure);
    return {name: input.name, url: urlOf(forward.local), service, pod: forward.pod.name, podPort: forward.podPort,
      close: forward.close};
  } catch (error) {
    if (!(error instanceof ServiceBackendError)) throw error;
    if (error.reason === 'no-service') {
      throw new UsageError(`${input.name} is not installed: ${error.message}`,
        'install it with `sparc-mesh observability setup`; if it runs in another namespace, name that one with -n',
        'DashboardNotInstalled');
    }
    throw new PreconditionError(`${input.name} cannot be reached: ${error.message}`,
      `see its pods: kubectl get pods -n ${service.namespace}`, 'DashboardNotReady');
  }
}
