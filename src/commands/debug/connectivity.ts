import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {connectionFlags, outputFlag} from '../../base/flags.js';
import {singleConnection} from '../../base/flag-input.js';
import {printed} from '../../base/validate-flags.js';
import {debugConnectivity} from '../../actions/debug/connectivity.js';
import type {ConnectivityReport} from '../../core/debug/connectivity.js';
import {CONNECTIVITY_FORMATS, renderConnectivity} from '../../ui/connectivity.js';

export default class DebugConnectivity extends BaseCommand {
  static override summary =
    'May this pod call that Service? Allowed or denied at each layer, and the rule that decides';
  static override description =
    `Answers from the reachability model of validate over the live cluster: NetworkPolicy (the caller's egress and the callee's ingress), Istio mTLS and authorization or Linkerd policy, and the route (a subset that selects no pod).`;

  static override examples = [
    '<%= config.bin %> debug connectivity --from deploy/cart -n shop --to svc/checkout:80',
    '<%= config.bin %> debug connectivity --from cart-7d9f6c-x2x -n shop --to svc/ledger.payments -o json',
  ];

  static override flags = {
    ...connectionFlags,
    from: Flags.string({description: 'The caller: POD, deploy/NAME or svc/NAME, in --namespace.', required: true}),
    to: Flags.string({description: 'The Service called: svc/NAME, svc/NAME.NAMESPACE, with :PORT for one port.',
      required: true}),
    output: outputFlag(CONNECTIVITY_FORMATS, 'table'),
  };

  public async run(): Promise<ConnectivityReport> {
    const {flags} = await this.parse(DebugConnectivity);
    const report = await debugConnectivity({connection: singleConnection(flags, 'debug connectivity'),
      namespace: flags.namespace, from: flags.from, to: flags.to}, this.deps);
    if (!this.jsonEnabled()) printed(renderConnectivity(flags.output, report), (line) => this.log(line));
    return report;
  }
}
