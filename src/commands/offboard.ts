import {Flags} from '@oclif/core';
import {offboard, serviceSelector, type OffboardResult} from '../actions/offboard.js';
import {BaseCommand, type ErrorEnvelope} from '../base/command.js';
import type {AcrossClusters} from '../base/clusters.js';
import {clusterConnections} from '../base/flag-input.js';
import {invalidFlag, UsageError} from '../errors.js';
import {allContextsFlag, connectionFlags, dryRunFlag, yesFlag} from '../base/flags.js';
import {dns1123Label} from '../core/config/checks.js';
import {valueOrPrompt} from '../ui/prompt.js';

export default class Offboard extends BaseCommand {
  static override summary = 'Remove a service from the mesh: delete exactly the objects sparc-mesh manages for it.';
  static override description = `Deletes the objects labelled ${
    serviceSelector('SERVICE')
  } in the service's namespace, and the egress NetworkPolicies onboarding put into its callers' namespaces. The namespace, the baseline policies shared by the namespace's services, and everything sparc-mesh does not manage stay. Running it again finds nothing and says so.

Asks for confirmation at a terminal; elsewhere (scripts, CI) it deletes only with --yes.`;

  static override examples = [
    {description: 'See what would be deleted',
      command: '<%= config.bin %> <%= command.id %> -s payments -n sparc --dry-run'},
    {description: 'Offboard from a script', command: '<%= config.bin %> <%= command.id %> -s payments -n sparc --yes'},
  ];

  static override flags = {
    service: Flags.string({char: 's', description: 'Service name (DNS-1123 label).'}),
    'dry-run': dryRunFlag,
    yes: yesFlag,
    ...connectionFlags,
    'all-contexts': allContextsFlag,
  };

  public async run(): Promise<OffboardResult | AcrossClusters<OffboardResult, ErrorEnvelope>> {
    const {flags} = await this.parse(Offboard);
    const connections = clusterConnections(flags);
    const {prompt} = this.deps;
    const service = await valueOrPrompt(flags.service, {name: 'service', char: 's', message: 'Service name',
      validate: dns1123Label}, prompt);
    const serviceProblem = dns1123Label(service);
    if (serviceProblem) throw invalidFlag('service', service, serviceProblem);
    const namespace = await valueOrPrompt(flags.namespace, {name: 'namespace', char: 'n', message: 'Namespace',
      validate: dns1123Label}, prompt);
    if (!flags['dry-run'] && !flags.yes) await this.confirm(service, namespace);
    const input = {service, namespace, dryRun: flags['dry-run']};
    const {cluster, clusters} = await this.onClusters(connections, {
      title: `Offboarding ${service} from ${namespace}`,
      run: (connection, deps) => offboard({...input, connection}, deps),
      summary: (result) => result.summary,
    });
    return cluster ?? {clusters};
  }

  private async confirm(service: string, namespace: string): Promise<void> {
    const {prompt} = this.deps;
    if (!prompt.available) {
      throw new UsageError(
        `offboard deletes objects and needs a confirmation: pass --yes to proceed without a terminal`,
        'add --yes (or --dry-run to see what it would delete)',
        'ConfirmationRequired',
      );
    }
    const proceed = await prompt.confirm({
      message: `Delete every object sparc-mesh manages for ${service} in ${namespace}?`,
      default: false,
    });
    if (!proceed) throw new UsageError('offboard cancelled: nothing was deleted', undefined, 'Cancelled');
  }
}
