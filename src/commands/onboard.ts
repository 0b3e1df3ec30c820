import {Flags} from '@oclif/core';
import {onboard, type OnboardInput, type OnboardResult} from '../actions/onboard.js';
import {onboardToCluster, type ClusterOnboardResult} from '../actions/apply/onboard-cluster.js';
import {BaseCommand, type ErrorEnvelope} from '../base/command.js';
import type {ClusterOutcome} from '../base/clusters.js';
import {emitObjects} from '../base/emit-objects.js';
import {durationFlag, sinkConnections} from '../base/flag-input.js';
import {allContextsFlag, connectionFlags, dryRunFlag, forceConflictsFlag, outputFlag, renderFlags, waitTimeoutFlag,
  yesFlag} from '../base/flags.js';
import {MESHES, PROFILES} from '../core/config/types.js';
import {dns1123Label} from '../core/config/checks.js';
import {valueOrPrompt} from '../ui/prompt.js';

/** The flag that gives each field of the action's input, so that its problems name the flag. */
const FLAG_OF_FIELD: OnboardInput['names'] = {
  service: '--service',
  namespace: '--namespace',
  mesh: '--mesh',
  profile: '--profile',
  ports: '--port',
  allowFrom: '--allow-from',
  ingressHosts: '--ingress-host',
  enableCanary: '--enable-canary',
};

export default class Onboard extends BaseCommand {
  static override summary =
    'Bring a service into the mesh: injection, identity, zero-trust policy, traffic rules, network policies and canary.';
  static override description =
    `Renders every object onboarding needs from the service's profile (and its entry in sparc-mesh.yaml, if any), checks each against the schema of its kind, then prints them (--dry-run) or writes one file per object (--output-dir).

Otherwise applies them to the cluster with server-side apply (field manager sparc-mesh): every object is read first, and if one apply fails, the objects already changed are put back as they were. When something changed, the service's Deployments and StatefulSets (label app=SERVICE) are restarted and waited for. Running it again changes nothing and says so. --dry-run=server asks the API server and writes nothing; --diff prints what would change.`;
  static override examples = [
    {description: 'Preview what onboarding a service would apply',
      command: '<%= config.bin %> <%= command.id %> -s new-service -n sparc -m istio --enable-canary --dry-run'},
    {description: 'A video service on Linkerd, called by the api-gateway',
      command:
        '<%= config.bin %> <%= command.id %> -s player -n sparc -m linkerd --profile video --allow-from api-gateway --dry-run -o json'},
    {description: 'Write the manifests for GitOps',
      command: '<%= config.bin %> <%= command.id %> -s reports --profile analytics --output-dir k8s/reports'},
    {description: 'See what onboarding would change in the cluster, then do it',
      command:
        '<%= config.bin %> <%= command.id %> -s payments -n sparc -m istio --diff\n<%= config.bin %> <%= command.id %> -s payments -n sparc -m istio'},
  ];

  static override flags = {
    service: Flags.string({char: 's', description: 'Service name (DNS-1123 label).'}),
    mesh: Flags.string({char: 'm', description: "Service mesh (default: the config's mesh, else istio).",
      options: [...MESHES]}),
    profile: Flags.string({char: 'p', description: 'Service profile.', options: [...PROFILES]}),
    port: Flags.string({
      description:
        'Service port as [NAME:]PORT[:TARGET_PORT]; the name prefix sets the protocol (http, http2, grpc, tcp, tls). Repeatable.',
      multiple: true,
    }),
    'allow-from': Flags.string({
      description: 'A caller allowed to reach the service: SERVICE_ACCOUNT or NAMESPACE/SERVICE_ACCOUNT. Repeatable.',
      multiple: true,
    }),
    'ingress-host': Flags.string({description: 'Expose the service on the ingress Gateway under this host. Repeatable.',
      multiple: true}),
    'enable-canary': Flags.boolean({description: 'Add a Flagger Canary for progressive delivery.', default: false}),
    'allow-system-namespace': Flags.boolean({
      description:
        'Onboard into a namespace of the cluster or its mesh (kube-system, istio-system, linkerd, ...), refused otherwise.',
      default: false,
    }),
    'dry-run': dryRunFlag,
    diff: Flags.boolean({
      description:
        'Print a unified diff of the live objects against what applying would make of them (a server-side dry run); writes nothing, exits 0.',
      default: false,
      exclusive: ['dry-run', 'output-dir'],
    }),
    'force-conflicts': forceConflictsFlag,
    wait: Flags.boolean({
      description: 'Wait for the restarted workloads to roll out (--no-wait to return after applying).',
      default: true,
      allowNo: true,
    }),
    'wait-timeout': waitTimeoutFlag,
    output: outputFlag(['yaml', 'json'], 'yaml'),
    yes: yesFlag,
    ...connectionFlags,
    'all-contexts': allContextsFlag,
    ...renderFlags,
  };

  public async run(): Promise<
    OnboardResult & {cluster?: ClusterOnboardResult; clusters?: ClusterOutcome<ClusterOnboardResult, ErrorEnvelope>[]}
  > {
    const {flags} = await this.parse(Onboard);
    const connections = sinkConnections(flags);
    const waitTimeoutMs = flags.wait ? durationFlag(flags['wait-timeout'], 'wait-timeout') : undefined;
    const service = await valueOrPrompt(flags.service, {name: 'service', char: 's', message: 'Service name',
      validate: dns1123Label}, this.deps.prompt);
    const result = await onboard({
      service,
      namespace: flags.namespace,
      mesh: flags.mesh,
      profile: flags.profile,
      enableCanary: flags['enable-canary'],
      ports: flags.port,
      allowFrom: flags['allow-from'],
      ingressHosts: flags['ingress-host'],
      config: flags.config,
      templates: flags.templates,
      allowSystemNamespace: flags['allow-system-namespace'],
      names: FLAG_OF_FIELD,
    });
    for (const note of result.notes) this.note(`note: ${note}`);
    if (!connections.length) {
      emitObjects(result.objects, flags, this.deps.out);
      return result;
    }
    const onCluster = {
      objects: result.objects,
      service: result.service.name,
      namespace: result.service.namespace,
      mode: flags.diff ? 'diff' as const : flags['dry-run'] === 'server' ? 'server-dry-run' as const : 'apply' as const,
      force: flags['force-conflicts'],
      waitTimeoutMs,
      restartedAt: new Date(this.deps.now()).toISOString(),
    };
    const applied = await this.onClusters(connections, {
      title: `Onboarding ${onCluster.service} into ${onCluster.namespace}`,
      run: (connection, deps) => onboardToCluster({...onCluster, connection}, deps),
      summary: (
        cluster,
      ) => (cluster.diff
        ? cluster.diff.map((entry) => entry.patch).join('') || 'no differences'
        : cluster.summary ?? ''),
      notes: (cluster) => cluster.notes ?? [],
    });
    return {...result, ...applied};
  }
}
