import {Args} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {connectionFlags, outputFlag} from '../../base/flags.js';
import {singleConnection} from '../../base/flag-input.js';
import {printed} from '../../base/validate-flags.js';
import {debugPod} from '../../actions/debug/pod.js';
import {catalogue} from '../../core/analyze/catalogue.js';
import {DEBUG_POD_FORMATS, podReportDocument, renderPodReport, type PodReportDocument} from '../../ui/debug-pod.js';

export default class DebugPod extends BaseCommand {
  static override summary = 'Everything that decides whether a pod gets traffic, in one report';
  static override description =
    `The proxy and its version against the control plane's, the mesh identity, the mTLS mode and where it comes from, the authorization policies and NetworkPolicies that select the pod, the traffic rules of its Services, denied callers, events and restarts, and validate's findings on every object that touches it. Each problem is a finding with a code and its fix.`;

  static override examples = [
    '<%= config.bin %> debug pod checkout-7d9f6c-x2x -n shop',
    '<%= config.bin %> debug pod deploy/checkout -n shop -o json',
    '<%= config.bin %> debug pod svc/checkout -n shop',
  ];

  static override args = {
    target: Args.string({description: 'POD, deploy/NAME or svc/NAME (the first ready pod it selects).',
      required: true}),
  };

  static override flags = {
    ...connectionFlags,
    output: outputFlag(DEBUG_POD_FORMATS, 'table'),
  };

  public async run(): Promise<PodReportDocument> {
    const {args, flags} = await this.parse(DebugPod);
    const report = await debugPod({connection: singleConnection(flags, 'debug pod'), namespace: flags.namespace,
      target: args.target}, this.deps);
    if (!this.jsonEnabled()) {
      printed(renderPodReport(flags.output, report, catalogue()), (line) => this.log(line));
    }
    return podReportDocument(report);
  }
}
