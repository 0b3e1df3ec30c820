import {isIP} from 'node:net';
import {Args, Flags} from '@oclif/core';
import {DASHBOARD_NAMES, DASHBOARDS, openDashboard, type DashboardName,
  type DashboardSession} from '../../actions/observability/dashboard.js';
import {BaseCommand} from '../../base/command.js';
import {singleConnection} from '../../base/flag-input.js';
import {clusterFlags} from '../../base/flags.js';
import {invalidFlag} from '../../errors.js';

/** What the session reports when it ends (no --json: the URL is needed while it runs, not after). */
export type DashboardResult = Omit<DashboardSession, 'close'>;

/** Resolves with the first of these signals to arrive; Ctrl-C is SIGINT. */
function firstSignal(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      for (const name of signals) process.off(name, handler);
      resolve(signal);
    };
    for (const name of signals) process.on(name, handler);
  });
}

/** listen()'s refusals, as the flag that caused them. */
function listenError(error: unknown, flags: {address: string; port: number}): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return invalidFlag('port', flags.port, `is in use on ${flags.address}`, 'pass another --port, or --port 0');
    case 'EACCES':
      return invalidFlag('port', flags.port, 'may not be opened by this user', 'pass a port above 1023, or --port 0');
    case 'EADDRNOTAVAIL':
      return invalidFlag('address', flags.address, 'is not an address of this machine', 'leave --address out');
    default:
      return error;
  }
}

export default class ObservabilityDashboard extends BaseCommand {
  static override summary =
    'Open a port-forward to Grafana, Prometheus, Jaeger, Kiali or Linkerd Viz and print its URL.';
  static override description =
    `Forwards a local port to the dashboard's Service through the Kubernetes API (pods/portforward, as kubectl port-forward does; kubectl is not needed): the first ready pod behind the Service, on the Service's target port. Prints the local URL and opens nothing; Ctrl-C (or SIGTERM) stops it, with exit 0.

Dashboards and their Services, as \`sparc-mesh observability setup\` installs them: ${
  DASHBOARD_NAMES.map((name) =>
    `${name}: ${DASHBOARDS[name].namespace}/${DASHBOARDS[name].service}:${DASHBOARDS[name].port}`
  )
    .join(', ')
}.

Exit codes: 0 when stopped; 2 bad usage, or the dashboard's Service is not there; 1 no ready pod behind it, or the cluster could not be read.`;
  static override examples = [
    {description: 'Grafana on http://127.0.0.1:3000/', command: '<%= config.bin %> <%= command.id %> grafana'},
    {description: 'Prometheus on a free port', command: '<%= config.bin %> <%= command.id %> prometheus --port 0'},
    {description: 'Kiali installed in istio-system',
      command: '<%= config.bin %> <%= command.id %> kiali -n istio-system'},
  ];
  static override enableJsonFlag = false;

  static override args = {
    name: Args.string({description: 'Which dashboard.', options: [...DASHBOARD_NAMES], required: true}),
  };

  static override flags = {
    namespace: Flags.string({char: 'n',
      description: "Namespace of the dashboard's Service (default: monitoring; linkerd-viz for viz)."}),
    port: Flags.integer({
      description: "Local port to listen on; 0 takes a free one (default: the dashboard's usual port).",
      min: 0,
      max: 65535,
    }),
    address: Flags.string({description: 'Local IP address to listen on.', default: '127.0.0.1'}),
    ...clusterFlags,
  };

  public async run(): Promise<DashboardResult> {
    const {args, flags} = await this.parse(ObservabilityDashboard);
    const name = args.name as DashboardName;
    if (!isIP(flags.address)) {
      throw invalidFlag('address', flags.address, 'is not an IP address', 'e.g. 127.0.0.1, ::1 or 0.0.0.0');
    }
    const local = {address: flags.address, port: flags.port ?? DASHBOARDS[name].localPort};
    const session = await openDashboard(
      {connection: singleConnection(flags, 'observability dashboard'), name, namespace: flags.namespace, local},
      this.deps,
      (message) => this.note(`warning: ${message}`),
    ).catch((error: unknown) => {
      throw listenError(error, local);
    });
    const {close, ...result} = session;
    this.deps.out(`${result.url}\n`);
    this.deps.progress(
      `${name}: Service ${result.service.namespace}/${result.service.name} port ${result.service.port} → pod ${result.pod} port ${result.podPort}; Ctrl-C stops`,
    );
    await firstSignal(['SIGINT', 'SIGTERM']);
    await close();
    return result;
  }
}
