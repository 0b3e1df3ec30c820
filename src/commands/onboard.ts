import {Flags} from '@oclif/core';
import {onboard, type OnboardResult} from '../actions/onboard.js';
import {BaseCommand} from '../base/command.js';
import {assertOfflineSink, emitObjects} from '../base/emit-objects.js';
import {connectionFlags, dryRunFlag, outputFlag, renderFlags, yesFlag} from '../base/flags.js';
import {MESHES, PROFILES} from '../core/spec/types.js';
import {dns1123Label} from '../core/spec/rules.js';
import {valueOrPrompt} from '../ui/prompt.js';

export default class Onboard extends BaseCommand {
  static override summary = 'Bring a service into the mesh: injection, identity, zero-trust policy, traffic rules, network policies and canary.';
  static override description = `Renders every object onboarding needs from the service's profile (and its entry in sparc-mesh.yaml, if any), checks each against the schema of its kind, then prints them (--dry-run) or writes one file per object (--output-dir).`;
  static override examples = [
    {description: 'Preview what onboarding a service would apply', command: '<%= config.bin %> <%= command.id %> -s new-service -n sparc -m istio --enable-canary --dry-run'},
    {description: 'A video service on Linkerd, called by the api-gateway', command: '<%= config.bin %> <%= command.id %> -s player -n sparc -m linkerd --profile video --allow-from api-gateway --dry-run -o json'},
    {description: 'Write the manifests for GitOps', command: '<%= config.bin %> <%= command.id %> -s reports --profile analytics --output-dir k8s/reports'},
  ];

  static override flags = {
    service: Flags.string({char: 's', description: 'Service name (DNS-1123 label).'}),
    mesh: Flags.string({char: 'm', description: 'Service mesh (default: the config\'s mesh, else istio).', options: [...MESHES]}),
    profile: Flags.string({char: 'p', description: 'Service profile.', options: [...PROFILES]}),
    port: Flags.string({description: 'Service port as [NAME:]PORT[:TARGET_PORT]; the name prefix sets the protocol (http, http2, grpc, tcp, tls). Repeatable.', multiple: true}),
    'allow-from': Flags.string({description: 'A caller allowed to reach the service: SERVICE_ACCOUNT or NAMESPACE/SERVICE_ACCOUNT. Repeatable.', multiple: true}),
    'ingress-host': Flags.string({description: 'Expose the service on the ingress Gateway under this host. Repeatable.', multiple: true}),
    'enable-canary': Flags.boolean({description: 'Add a Flagger Canary for progressive delivery.', default: false}),
    'dry-run': dryRunFlag,
    output: outputFlag(['yaml', 'json'], 'yaml'),
    yes: yesFlag,
    ...connectionFlags,
    ...renderFlags,
  };

  public async run(): Promise<OnboardResult> {
    const {flags} = await this.parse(Onboard);
    assertOfflineSink(flags, 'onboard');
    const service = await valueOrPrompt(flags.service, {name: 'service', char: 's', message: 'Service name', validate: dns1123Label});
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
    });
    for (const note of result.notes) this.note(`note: ${note}`);
    emitObjects(result.objects, flags, this.jsonEnabled(), (line) => this.log(line));
    return result;
  }
}
