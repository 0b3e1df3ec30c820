import type {CanaryRollbackResult} from '../../actions/canary/rollback.js';
import {BaseCommand} from '../../base/command.js';
import {canaryServiceFlags, canaryServiceInput} from '../../base/canary-flags.js';
import {durationFlag, singleConnection} from '../../base/flag-input.js';
import {connectionFlags, waitTimeoutFlag} from '../../base/flags.js';

export default class CanaryRollback extends BaseCommand {
  static override summary = 'End a `canary run` wherever it stopped: all traffic to the primary, the canary removed.';
  static override description =
    `Reads the run recorded on the Deployment NAME (annotation sparc-mesh.io/canary-run) and ends it from whatever step it reached, even one killed midway: the primary keeps, or gets back, the image it had before the run; all traffic goes to it; the service's routes are put back as they were; the Deployment NAME-canary and the Services NAME-primary and NAME-canary are removed. With no recorded run, it removes those objects if a run left them. Running it again changes nothing.

A service with a Flagger Canary is Flagger's: use \`sparc-mesh canary abort\` for it (this command exits 2).`;
  static override examples = [
    {description: 'Stop a canary run and put everything back',
      command: '<%= config.bin %> <%= command.id %> -s reports -n sparc'},
  ];

  static override flags = {
    ...canaryServiceFlags,
    'wait-timeout': waitTimeoutFlag,
    kubeconfig: connectionFlags.kubeconfig,
    context: connectionFlags.context,
  };

  public async run(): Promise<CanaryRollbackResult> {
    const {flags} = await this.parse(CanaryRollback);
    const {service} = await canaryServiceInput(flags);
    const connection = singleConnection(flags, 'canary rollback');
    const waitTimeoutMs = durationFlag(flags['wait-timeout'], 'wait-timeout');
    const {canaryRollback} = await import('../../actions/canary/rollback.js');
    const result = await this.withProgress(`Rolling back the canary of ${service.name} in ${service.namespace}`,
      (deps) =>
        canaryRollback({connection, service: service.name, namespace: service.namespace, mesh: service.mesh,
          waitTimeoutMs}, deps));
    this.deps.out(result.runEnded
      ? `rolled back: all traffic to ${result.service}, which runs ${result.image}; the canary is removed\n`
      : `no canary run recorded on ${result.service}; canary objects left behind, if any, are removed\n`);
    return result;
  }
}
