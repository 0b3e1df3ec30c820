import {Flags} from '@oclif/core';
import {flaggerStatus, watchFlaggerStatus, type FlaggerStatusResult} from '../../actions/canary/flagger-status.js';
import {canaryFlags, canaryScope} from '../../base/canary-target.js';
import {BaseCommand} from '../../base/command.js';
import {durationFlag, refuseIgnored} from '../../base/flag-input.js';
import {parsePrometheusUrl} from '../../adapters/prometheus/client.js';
import {EXIT, invalidFlag} from '../../errors.js';
import {redrawing, renderCanaryStatus} from '../../ui/canary-status.js';

const WATCH_TIMEOUT = '30m';

function prometheusUrlFlag(given: string | undefined): URL | undefined {
  if (given === undefined) return undefined;
  const url = parsePrometheusUrl(given);
  if (typeof url === 'string') throw invalidFlag('prometheus-url', given, url);
  return url;
}

export default class CanaryStatus extends BaseCommand {
  static override summary = "Where Flagger's canary rollouts stand: phase, traffic, failed checks and metrics.";
  static override description =
    `Reads the Flagger Canary of a service (-s), or every Canary of the namespace: Flagger's phase, the share of traffic on the canary, the failed checks against the threshold at which Flagger rolls back, when Flagger last changed the status, and each metric with its threshold. With --prometheus-url (a Prometheus that scrapes Flagger), each metric also shows the last value Flagger measured (its gauge flagger_canary_metric_analysis).

--watch reads again every 2 seconds, redrawing the table at a terminal (printing each change elsewhere), until Flagger is done with every Canary read: exit 0 when they were promoted (or rest with no rollout), 3 when one was rolled back. A revision Flagger has not noticed yet (it looks once per analysis interval) counts as a rollout about to start, so --watch right after changing the image waits for that rollout.

Exit codes: 0; 3 with --watch when a rollout ended in a rollback; 2 bad usage or no such Canary; 1 the cluster could not be read, or --timeout ran out.`;
  static override examples = [
    {description: 'Every canary of a namespace', command: '<%= config.bin %> <%= command.id %> -n sparc'},
    {description: 'Follow a rollout until Flagger promotes it (exit 0) or rolls it back (exit 3)',
      command:
        '<%= config.bin %> <%= command.id %> -s reports -n sparc --watch --prometheus-url http://localhost:9090'},
  ];

  static override flags = {
    ...canaryFlags,
    'prometheus-url': Flags.string({
      description:
        'A Prometheus that scrapes Flagger, to show the last value Flagger measured for each metric (e.g. http://localhost:9090 through kubectl port-forward).',
    }),
    watch: Flags.boolean({char: 'w', description: 'Keep reading until every rollout has ended.', default: false}),
    timeout: Flags.string({
      description: `With --watch, how long to wait for the rollouts to end (default ${WATCH_TIMEOUT}).`,
    }),
  };

  public async run(): Promise<FlaggerStatusResult> {
    const {flags} = await this.parse(CanaryStatus);
    if (!flags.watch) refuseIgnored(flags, ['timeout'], 'without --watch');
    const scope = await canaryScope(flags, 'canary status', this.deps.prompt);
    const input = {...scope, prometheusUrl: prometheusUrlFlag(flags['prometheus-url'])};
    if (!flags.watch) {
      const result = await flaggerStatus(input, this.deps);
      this.report(result);
      this.deps.out(renderCanaryStatus(result));
      return result;
    }
    const draw = redrawing(this.deps.out, this.watched());
    const result = await watchFlaggerStatus({...input,
      timeoutMs: durationFlag(flags.timeout ?? WATCH_TIMEOUT, 'timeout')}, this.deps,
      (reading) => draw(renderCanaryStatus(reading)));
    this.report(result);
    if (result.canaries.some((canary) => canary.state === 'rolled back')) this.resultExitCode = EXIT.findings;
    return result;
  }

  private report(result: FlaggerStatusResult): void {
    for (const warning of result.warnings) this.note(`warning: ${warning}`);
  }
}
