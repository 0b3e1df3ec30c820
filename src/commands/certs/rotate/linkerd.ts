import {Flags} from '@oclif/core';
import {rotateLinkerdIssuer, type RotationResult} from '../../../actions/certs/rotate-linkerd.js';
import {DEFAULT_ISSUER_VALIDITY} from '../../../actions/install/linkerd-certs.js';
import {BaseCommand} from '../../../base/command.js';
import {durationFlag, singleConnection} from '../../../base/flag-input.js';
import {connectionFlags} from '../../../base/flags.js';

export default class CertsRotateLinkerd extends BaseCommand {
  static override summary = 'Rotate Linkerd\'s identity issuer in place, signed by the trust anchor, without restarting anything.';
  static override description = `--issuer signs a new issuer certificate (ECDSA P-256, a fresh key) with a trust anchor the proxies already trust, and replaces the Secret linkerd-identity-issuer with it. Linkerd's identity controller watches that Secret and signs with the new issuer from then on; proxies keep their current certificates until their own renewal, so nothing restarts. The anchor's key comes from --trust-anchor-key (a file you keep, mode 0600); the new issuer's key goes only into the Secret, where it overwrites the old one, and is never printed.

--plan prints the steps and changes nothing.`;
  static override examples = [
    {description: 'See what would change', command: '<%= config.bin %> <%= command.id %> --issuer --trust-anchor-key ca.key --plan'},
    {description: 'A new issuer for a year', command: '<%= config.bin %> <%= command.id %> --issuer --trust-anchor-key ca.key --issuer-validity 8760h'},
  ];

  static override flags = {
    issuer: Flags.boolean({description: 'Rotate the issuer: a new issuer signed by the current trust anchor replaces the Secret linkerd-identity-issuer.', required: true}),
    'trust-anchor-key': Flags.string({description: 'The trust anchor\'s private key (PEM, unencrypted, ECDSA P-256).'}),
    'trust-anchor-file': Flags.string({description: 'The trust anchor to sign with (default: the anchor in linkerd-identity-trust-roots that the key belongs to).'}),
    'issuer-validity': Flags.string({description: 'Lifetime of the new issuer (a Go duration); it may not outlive the anchor.', default: DEFAULT_ISSUER_VALIDITY}),
    plan: Flags.boolean({description: 'Print the steps and change nothing.', default: false}),
    'linkerd-namespace': Flags.string({description: 'Namespace of Linkerd\'s control plane.', default: 'linkerd'}),
    kubeconfig: connectionFlags.kubeconfig,
    context: connectionFlags.context,
  };

  public async run(): Promise<RotationResult> {
    const {flags} = await this.parse(CertsRotateLinkerd);
    const input = {
      connection: singleConnection(flags, 'certs rotate linkerd'), namespace: flags['linkerd-namespace'],
      trustAnchorKeyFile: flags['trust-anchor-key'], trustAnchorFile: flags['trust-anchor-file'],
      issuerValidityMs: durationFlag(flags['issuer-validity'], 'issuer-validity'), issuerValidity: flags['issuer-validity'], plan: flags.plan,
    };
    const result = flags.plan
      ? await rotateLinkerdIssuer(input, this.deps)
      : await this.withProgress('Rotating Linkerd\'s issuer', (deps) => rotateLinkerdIssuer(input, deps));
    const {out} = this.deps;
    if (!result.done) {
      out(`Steps (nothing was changed):\n${result.steps.map(({description}, index) => `  ${index + 1}. ${description}\n`).join('')}`);
    } else if (result.issuer) {
      out(`Issuer rotated: ${result.issuer.subject}, signed by ${result.issuer.issuer}, valid until ${result.issuer.notAfter}; it replaced the issuer valid until ${result.previousIssuer?.notAfter ?? '(unreadable)'}, whose key is gone.\n`);
    }
    return result;
  }
}
