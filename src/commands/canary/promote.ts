import {flaggerPromote, type FlaggerPromoteResult} from '../../actions/canary/flagger-promote.js';
import {canaryFlags, canaryTarget, canaryTimeoutFlag} from '../../base/canary-target.js';
import {BaseCommand} from '../../base/command.js';
import {durationFlag} from '../../base/flag-input.js';

export default class CanaryPromote extends BaseCommand {
  static override summary = 'Promote a Flagger canary now, without the rest of its analysis.';
  static override description =
    `Sets the Canary's spec.skipAnalysis, Flagger's own way to ship a revision without its checks: at its next run Flagger cancels the analysis, copies the canary's spec to the primary, routes all traffic to the primary and scales the canary down. The command waits until Flagger reports the promotion (phase Succeeded), then removes skipAnalysis again, so the next revision is analysed as usual; if it is interrupted before that, running it again finishes the job.

Works while the rollout is Progressing or WaitingPromotion (past a confirm-promotion gate), and for a new revision Flagger has not picked up yet; a closed confirm-rollout gate (phase Waiting) must be opened first. Exit codes: 0 promoted; 2 bad usage or no such Canary; 1 nothing to promote, Flagger rolled back instead, or --timeout ran out.`;
  static override examples = [
    {description: 'Ship the canary of reports now', command: '<%= config.bin %> <%= command.id %> -s reports -n sparc'},
  ];

  static override flags = {
    ...canaryFlags,
    timeout: canaryTimeoutFlag('10m'),
  };

  public async run(): Promise<FlaggerPromoteResult> {
    const {flags} = await this.parse(CanaryPromote);
    const target = await canaryTarget(flags, 'canary promote', this.deps.prompt);
    const result = await this.withProgress(`Promoting ${target.name} in ${target.namespace}`,
      (deps) => flaggerPromote({...target, timeoutMs: durationFlag(flags.timeout, 'timeout')}, deps));
    this.deps.out(`Canary ${target.namespace}/${target.name} promoted (${result.did}).\n`);
    return result;
  }
}
