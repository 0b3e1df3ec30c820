import {flaggerAbort, type FlaggerAbortResult} from '../../actions/canary/flagger-abort.js';
import {canaryFlags, canaryTarget, canaryTimeoutFlag} from '../../base/canary-target.js';
import {BaseCommand} from '../../base/command.js';
import {durationFlag} from '../../base/flag-input.js';

export default class CanaryAbort extends BaseCommand {
  static override summary = 'Stop a Flagger canary rollout and send all traffic back to the primary.';
  static override description =
    `Sets the Canary's failed checks to its threshold (status subresource), so that Flagger's next run takes its own rollback path, as when the metrics fail: all traffic back to the primary, the canary scaled to zero, phase Failed. The command waits until Flagger reports the rollback. The primary keeps running the revision it ran before; the target keeps the new revision until you change it, and Flagger rolls out the next change as usual.

Works while the rollout is Progressing or WaitingPromotion. Exit codes: 0 rolled back; 2 bad usage or no such Canary; 1 nothing to abort (no rollout, or already promoting), Flagger promoted first, or --timeout ran out.`;
  static override examples = [
    {description: 'Abort the rollout of reports', command: '<%= config.bin %> <%= command.id %> -s reports -n sparc'},
  ];

  static override flags = {
    ...canaryFlags,
    timeout: canaryTimeoutFlag('10m'),
  };

  public async run(): Promise<FlaggerAbortResult> {
    const {flags} = await this.parse(CanaryAbort);
    const target = await canaryTarget(flags, 'canary abort', this.deps.prompt);
    const result = await this.withProgress(`Aborting the rollout of ${target.name} in ${target.namespace}`,
      (deps) => flaggerAbort({...target, timeoutMs: durationFlag(flags.timeout, 'timeout')}, deps));
    this.deps.out(`Canary ${target.namespace}/${target.name} rolled back: all traffic on the primary.\n`);
    return result;
  }
}
