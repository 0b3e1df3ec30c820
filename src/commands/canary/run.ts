import {Flags} from '@oclif/core';
import type {CanaryRunResult} from '../../actions/canary/run.js';
import {BaseCommand} from '../../base/command.js';
import {durationFlag, refuseIgnored, singleConnection} from '../../base/flag-input.js';
import {connectionFlags, renderInputFlags, waitTimeoutFlag} from '../../base/flags.js';
import {canaryServiceFlags, canaryServiceInput} from '../../base/canary-flags.js';
import {planText, runPlan, type RunPlan} from '../../core/canary/plan.js';
import type {HeaderMatch} from '../../core/canary/routing.js';
import {httpHeaderName} from '../../core/config/checks.js';
import {EXIT, invalidFlag} from '../../errors.js';

function parseMatchHeader(value: string | undefined): HeaderMatch | undefined {
  if (value === undefined) return undefined;
  const equals = value.indexOf('=');
  const name = value.slice(0, Math.max(equals, 0)).toLowerCase();
  const headerValue = value.slice(equals + 1);
  const problem = equals < 1 ? 'must be NAME=VALUE' : httpHeaderName(name) ?? (headerValue
    ? undefined
    : 'needs a value after =');
  if (problem) throw invalidFlag('match-header', value, problem, 'write it as x-canary=true');
  return {name, value: headerValue};
}

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw invalidFlag(flag, value, 'is not a number');
  return number;
}

export default class CanaryRun extends BaseCommand {
  static override summary =
    'Roll a new image out to a service step by step, judged by Prometheus, without a canary controller.';
  static override description =
    `Creates the Deployment NAME-canary beside the Deployment NAME with the new image, and the Services NAME-primary and NAME-canary; then moves traffic to the canary step by step (Istio: the service's VirtualService weights; Linkerd: its Gateway API HTTPRoute backendRefs weights). At each weight, after every interval, Prometheus is asked for the canary's success rate and p99 latency (the queries Flagger runs); a check passes when both are within the thresholds. When the last weight passes, the primary takes the new image and all traffic goes back to it; when the failed checks reach the threshold, all traffic goes back to the primary, unchanged. Either way the canary's objects are removed and the routes put back as they were.

Steps, interval, thresholds and queries come from the service's canary settings in sparc-mesh.yaml and its profile; the flags override them. Every step is recorded in the annotation sparc-mesh.io/canary-run on the Deployment NAME: run the same command again to resume an interrupted run, or \`canary rollback\` to end it.

Prometheus is reached at --prometheus-url, else the config's observability.prometheusUrl (an in-cluster address by default, reachable only from inside the cluster: from elsewhere, port-forward it and pass the local URL).

Exit codes: 0 promoted; 3 rolled back; 2 bad usage (or the service's canary is Flagger's); 1 the cluster or Prometheus failed.`;
  static override examples = [
    {description: 'See the plan: steps, weights, queries and thresholds',
      command:
        '<%= config.bin %> <%= command.id %> -s reports -n sparc --image registry.example/reports:2.0 --dry-run'},
    {description: 'Roll out version 2.1 of the current image, checking every 30s, from CI',
      command:
        '<%= config.bin %> <%= command.id %> -s reports -n sparc --to-version 2.1 --interval 30s --prometheus-url http://127.0.0.1:9090'},
    {description: 'Let testers reach the canary with a header while the weights move',
      command:
        '<%= config.bin %> <%= command.id %> -s reports -n sparc --image registry.example/reports:2.0 --match-header x-canary=true'},
  ];

  static override flags = {
    ...canaryServiceFlags,
    image: Flags.string({description: 'The new image of the service.', exactlyOne: ['image', 'to-version']}),
    'to-version': Flags.string({description: "The new version: the primary's image with this tag.",
      exactlyOne: ['image', 'to-version']}),
    container: Flags.string({
      description: 'The container whose image changes (default: the one named like the service, else the first).',
    }),
    'step-weight': Flags.integer({description: 'Percent of traffic added to the canary at each step.'}),
    'max-weight': Flags.integer({description: 'The weight after which the canary is promoted.'}),
    interval: Flags.string({description: 'Time between checks, e.g. 1m, 30s.'}),
    threshold: Flags.integer({description: 'Failed checks that roll the canary back.'}),
    'min-success-rate': Flags.string({description: 'Lowest passing success rate, in percent (e.g. 99).'}),
    'max-latency-ms': Flags.integer({description: 'Highest passing p99 latency, in milliseconds.'}),
    window: Flags.string({description: 'The range the queries average over (PromQL), e.g. 1m, 30s.'}),
    'match-header': Flags.string({
      description:
        'NAME=VALUE: requests with this header always go to the canary (A/B), the others follow the weights.',
    }),
    'prometheus-url': Flags.string({
      description: "Prometheus's base URL (default: the config's observability.prometheusUrl).",
    }),
    'dry-run': Flags.option({description: 'Print the plan (steps, weights, queries, thresholds) and change nothing.',
      options: ['client'] as const})(),
    'wait-timeout': waitTimeoutFlag,
    ...renderInputFlags,
    kubeconfig: connectionFlags.kubeconfig,
    context: connectionFlags.context,
  };

  public async run(): Promise<CanaryRunResult | {plan: RunPlan}> {
    const {flags} = await this.parse(CanaryRun);
    const match = parseMatchHeader(flags['match-header']);
    const {service, platform} = await canaryServiceInput(flags, {
      stepWeight: flags['step-weight'],
      maxWeight: flags['max-weight'],
      interval: flags.interval,
      threshold: flags.threshold,
      minSuccessRate: numberFlag(flags['min-success-rate'], 'min-success-rate'),
      maxLatencyMs: flags['max-latency-ms'],
      window: flags.window,
    });
    const plan = runPlan(service, match);
    if (flags['dry-run']) {
      refuseIgnored(flags, ['kubeconfig', 'context', 'prometheus-url', 'container'],
        'with --dry-run, which reads no cluster');
      this.deps.out(planText(plan, flags.image ?? `the primary's image with tag ${flags['to-version']}`));
      return {plan};
    }
    const connection = singleConnection(flags, 'canary run');
    const waitTimeoutMs = durationFlag(flags['wait-timeout'], 'wait-timeout');
    const {openPrometheus} = await import('../../actions/canary/prometheus.js');
    const prometheus = await openPrometheus(flags['prometheus-url'], platform.observability.prometheusUrl,
      '--prometheus-url');
    const {canaryRun} = await import('../../actions/canary/run.js');
    const result = await this.withProgress(`Canary run of ${plan.service} in ${plan.namespace}`,
      (deps) =>
        canaryRun({connection, plan, prometheus, waitTimeoutMs, container: flags.container,
          version: flags.image === undefined ? {tag: flags['to-version']!} : {image: flags.image}}, deps));
    const failed = result.checks.filter((check) => !check.passed).length;
    if (result.outcome === 'rolled-back') this.resultExitCode = EXIT.findings;
    this.deps.out(result.outcome === 'promoted'
      ? `promoted: ${plan.service} runs ${result.image} (${result.checks.length} checks, ${failed} failed)\n`
      : `rolled back after ${failed} failed checks: ${plan.service} keeps its image; ${result.image} was not promoted\n`);
    return result;
  }
}
