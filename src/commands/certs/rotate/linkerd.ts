import {Flags} from '@oclif/core';
import {rotateLinkerdTrustAnchor} from '../../../actions/certs/rotate-linkerd-anchor.js';
import {rotateLinkerdIssuer, type RotationResult} from '../../../actions/certs/rotate-linkerd.js';
import {DEFAULT_ISSUER_VALIDITY} from '../../../actions/install/linkerd-certs.js';
import {BaseCommand} from '../../../base/command.js';
import {durationFlag, singleConnection} from '../../../base/flag-input.js';
import {connectionFlags, waitTimeoutFlag} from '../../../base/flags.js';

export default class CertsRotateLinkerd extends BaseCommand {
  static override summary =
    "Rotate Linkerd's identity issuer in place (--issuer), or its trust anchor in resumable steps (--trust-anchor).";
  static override description =
    `--issuer signs a new issuer certificate (ECDSA P-256, a fresh key) with a trust anchor the proxies already trust, and replaces the Secret linkerd-identity-issuer with it. Linkerd's identity controller watches that Secret and signs with the new issuer from then on; proxies keep their current certificates until their own renewal, so nothing restarts. The anchor's key comes from --trust-anchor-key (a file you keep, mode 0600); the new issuer's key goes only into the Secret, where it overwrites the old one, and is never printed.

--trust-anchor runs Linkerd's manual trust-anchor rotation as six steps: add the new anchor (--new-trust-anchor-file, --new-trust-anchor-key) beside the old ones in the ConfigMap linkerd-identity-trust-roots; restart the control plane and the meshed workloads (injected by annotation on the workload or its namespace) so that every proxy trusts both; re-sign the issuer with the new anchor; restart again; leave only the new anchor; restart again. Each step is idempotent and refuses to run before the steps it depends on took effect: --step N runs step N alone, to resume a rotation that stopped.

--plan prints the steps and changes nothing.`;
  static override examples = [
    {description: 'See what would change',
      command: '<%= config.bin %> <%= command.id %> --issuer --trust-anchor-key ca.key --plan'},
    {description: 'A new issuer for a year',
      command: '<%= config.bin %> <%= command.id %> --issuer --trust-anchor-key ca.key --issuer-validity 8760h'},
    {description: 'The steps of a trust-anchor rotation',
      command:
        '<%= config.bin %> <%= command.id %> --trust-anchor --new-trust-anchor-file ca-new.crt --new-trust-anchor-key ca-new.key --plan'},
    {description: 'Resume it at step 3',
      command:
        '<%= config.bin %> <%= command.id %> --trust-anchor --new-trust-anchor-file ca-new.crt --new-trust-anchor-key ca-new.key --step 3'},
  ];

  static override flags = {
    issuer: Flags.boolean({
      description:
        'Rotate the issuer: a new issuer signed by the current trust anchor replaces the Secret linkerd-identity-issuer.',
      exactlyOne: ['issuer', 'trust-anchor'],
    }),
    'trust-anchor': Flags.boolean({description: 'Rotate the trust anchor, in steps (see --plan).',
      exactlyOne: ['issuer', 'trust-anchor']}),
    'trust-anchor-key': Flags.string({
      description: "With --issuer: the trust anchor's private key (PEM, unencrypted, ECDSA P-256).",
      dependsOn: ['issuer'],
    }),
    'trust-anchor-file': Flags.string({
      description:
        'With --issuer: the trust anchor to sign with (default: the anchor in linkerd-identity-trust-roots that the key belongs to).',
      dependsOn: ['issuer'],
    }),
    'new-trust-anchor-file': Flags.string({
      description: "With --trust-anchor: the new anchor's certificate (ECDSA P-256 CA).",
      dependsOn: ['trust-anchor'],
    }),
    'new-trust-anchor-key': Flags.string({
      description: "With --trust-anchor: the new anchor's private key, which signs the new issuer.",
      dependsOn: ['trust-anchor'],
    }),
    step: Flags.integer({description: 'With --trust-anchor: run only this step (1-6), to resume a rotation.',
      dependsOn: ['trust-anchor']}),
    'wait-timeout': waitTimeoutFlag,
    'issuer-validity': Flags.string({
      description: 'Lifetime of the new issuer (a Go duration); it may not outlive the anchor.',
      default: DEFAULT_ISSUER_VALIDITY,
    }),
    plan: Flags.boolean({description: 'Print the steps and change nothing.', default: false}),
    'linkerd-namespace': Flags.string({description: "Namespace of Linkerd's control plane.", default: 'linkerd'}),
    kubeconfig: connectionFlags.kubeconfig,
    context: connectionFlags.context,
  };

  public async run(): Promise<RotationResult> {
    const {flags} = await this.parse(CertsRotateLinkerd);
    const input = {
      connection: singleConnection(flags, 'certs rotate linkerd'),
      namespace: flags['linkerd-namespace'],
      trustAnchorKeyFile: flags['trust-anchor-key'],
      trustAnchorFile: flags['trust-anchor-file'],
      issuerValidityMs: durationFlag(flags['issuer-validity'], 'issuer-validity'),
      issuerValidity: flags['issuer-validity'],
      plan: flags.plan,
    };
    const rotate = flags['trust-anchor']
      ? (deps: typeof this.deps) =>
        rotateLinkerdTrustAnchor({...input, newTrustAnchorFile: flags['new-trust-anchor-file'],
          newTrustAnchorKeyFile: flags['new-trust-anchor-key'], step: flags.step,
          waitTimeoutMs: durationFlag(flags['wait-timeout'], 'wait-timeout'),
          restartedAt: new Date(this.deps.now()).toISOString()}, deps)
      : (deps: typeof this.deps) => rotateLinkerdIssuer(input, deps);
    const result = flags.plan
      ? await rotate(this.deps)
      : await this.withProgress(`Rotating Linkerd's ${flags.issuer ? 'issuer' : 'trust anchor'}`, rotate);
    const {out} = this.deps;
    if (flags.plan) {
      out(
        `Steps (nothing was changed):\n${
          result.steps.map(({description}, index) => `  ${index + 1}. ${description}\n`).join('')
        }`,
      );
    } else if (flags['trust-anchor']) {
      out(result.done
        ? `The trust anchor is rotated: the issuer ${result.issuer?.subject} is signed by ${result.issuer?.issuer}, valid until ${result.issuer?.notAfter}.\n`
        : `Step ${flags.step} of ${result.steps.length} done; continue with --step ${(flags.step ?? 0) + 1}.\n`);
    } else if (result.issuer) {
      out(
        `Issuer rotated: ${result.issuer.subject}, signed by ${result.issuer.issuer}, valid until ${result.issuer.notAfter}; it replaced the issuer valid until ${
          result.previousIssuer?.notAfter ?? '(unreadable)'
        }, whose key is gone.\n`,
      );
    }
    return result;
  }
}
