// `observability dashboard NAME`: the user interface of one part of the observability stack,
// reached through a port-forward to its Service (adapters/kube/port-forward.ts) and given as a
// local URL. Which Service and port each is comes from the stack's chart table
// (core/observability/charts.ts), as `observability setup` installs them.
import type {KubeConnection} from '../../adapters/kube/client.js';
import {forwardServicePort, type ConnectionFailure, type ListenAddress} from '../../adapters/kube/port-forward.js';
import {DEFAULT_PLATFORM} from '../../core/config/platform.js';
import {consoles, type Console, type ConsoleName} from '../../core/observability/charts.js';
import {ServiceBackendError} from '../../core/service-backend.js';
import {PreconditionError, UsageError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';

export const DASHBOARD_NAMES = ['grafana', 'prometheus', 'jaeger', 'kiali', 'viz'] as const satisfies ConsoleName[];
export type DashboardName = ConsoleName;

/** The local port each is usually reached on (`kubectl port-forward` in the docs, `linkerd viz dashboard`). */
const LOCAL_PORTS: Readonly<Record<DashboardName, number>> = {grafana: 3000, prometheus: 9090, jaeger: 16686,
  kiali: 20001, viz: 50750};

export interface Dashboard extends Console {
  localPort: number;
}

/** Where each dashboard is when `observability setup` ran with the default settings. */
export const DASHBOARDS: Readonly<Record<DashboardName, Dashboard>> = Object.fromEntries(
  Object.entries(consoles(DEFAULT_PLATFORM.observability)).map((
    [name, console],
  ) => [name, {...console, localPort: LOCAL_PORTS[name as DashboardName]}]),
) as Record<DashboardName, Dashboard>;

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
