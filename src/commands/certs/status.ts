import {Flags} from '@oclif/core';
import {certsStatus, type CertsStatusResult} from '../../actions/certs/status.js';
import {BaseCommand} from '../../base/command.js';
import {singleConnection} from '../../base/flag-input.js';
import {connectionFlags} from '../../base/flags.js';
import {DEFAULT_WARN_WITHIN_DAYS, STATUS_COLUMNS, statusRows} from '../../core/certs/status.js';
import {EXIT} from '../../errors.js';
import {renderColumns} from '../../ui/columns.js';

export default class CertsStatus extends BaseCommand {
  static override summary =
    "List the meshes' CA certificates (Linkerd trust anchors and issuer, Istio root CA) with the days each has left.";
  static override description =
    `Reads Linkerd's trust anchors (ConfigMap linkerd-identity-trust-roots) and issuer certificate (Secret linkerd-identity-issuer; its key is never read into the output), and Istio's root CA (the istio-ca-root-cert ConfigMaps istiod copies into namespaces, and the Secret cacerts or istio-ca-secret). Each certificate is one row: subject, issuer, not-after, days left; a certificate found in several places is listed once, with every place in --json.

Warns about certificates with fewer than --warn-within days left. Exit codes: 0, or 3 when a certificate has fewer than --fail-within days left (for CI); 2 bad usage; 1 the cluster could not be read.`;
  static override examples = [
    {description: 'What expires when', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Fail a CI job when anything expires within 30 days',
      command: '<%= config.bin %> <%= command.id %> --fail-within 30 --json'},
  ];

  static override flags = {
    'fail-within': Flags.integer({
      description: 'Exit 3 when a certificate has fewer than this many days left (expired ones included).',
      min: 0,
    }),
    'warn-within': Flags.integer({description: 'Warn about certificates with fewer than this many days left.', min: 0,
      default: DEFAULT_WARN_WITHIN_DAYS}),
    'linkerd-namespace': Flags.string({description: "Namespace of Linkerd's control plane.", default: 'linkerd'}),
    'istio-namespace': Flags.string({description: 'Namespace of istiod.', default: 'istio-system'}),
    kubeconfig: connectionFlags.kubeconfig,
    context: connectionFlags.context,
  };

  public async run(): Promise<CertsStatusResult> {
    const {flags} = await this.parse(CertsStatus);
    const result = await certsStatus({
      connection: singleConnection(flags, 'certs status'),
      linkerdNamespace: flags['linkerd-namespace'],
      istioNamespace: flags['istio-namespace'],
      warnWithinDays: flags['warn-within'],
      failWithinDays: flags['fail-within'],
    }, this.deps);
    for (const problem of result.problems) this.note(`warning: ${problem}`);
    for (const warning of result.warnings) this.note(`warning: ${warning}`);
    if (result.failing.length) {
      this.resultExitCode = EXIT.findings;
      this.note(
        `${result.failing.length} certificate${result.failing.length === 1 ? ' has' : 's have'} fewer than ${
          flags['fail-within']
        } days left (--fail-within)`,
      );
    }
    this.deps.out(result.rows.length
      ? renderColumns(STATUS_COLUMNS, statusRows(result))
      : `No mesh CA certificates found (Linkerd in namespace ${flags['linkerd-namespace']}, Istio in ${
        flags['istio-namespace']
      } and istio-ca-root-cert ConfigMaps).\n`);
    return result;
  }
}
