import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {EXIT, invalidFlag} from '../../errors.js';
import {outputFlag} from '../../base/flags.js';
import {reachability} from '../../actions/validate/reachability.js';
import {validateDeps} from '../../actions/validate/deps.js';
import {summariseReachability, type ReachabilityModel,
  type ReachabilitySummary} from '../../core/analyze/reachability/index.js';
import {isSummarised, REACHABILITY_FORMATS, renderReachability,
  renderReachabilitySummary} from '../../ui/findings/reachability.js';
import {inputFlags, inputOf, pathArgs, printed} from '../../base/validate-flags.js';

export default class ValidateReachability extends BaseCommand {
  static override summary = 'Show which services may call which, on which port, and why';
  static override description =
    `Combines NetworkPolicy, Istio mTLS and authorization, and Linkerd policy into one allow/deny verdict per call.
Takes the same inputs as validate: files, folders, - (standard input), or the live cluster when no path is given.`;

  static override examples = [
    '<%= config.bin %> validate reachability k8s/',
    '<%= config.bin %> validate reachability k8s/ --from shop --to payments -o mermaid',
    '<%= config.bin %> validate reachability -A -o dot | dot -Tsvg > mesh.svg',
  ];

  static override strict = false;
  static override args = pathArgs;

  static override flags = {
    ...inputFlags,
    output: outputFlag(REACHABILITY_FORMATS, 'table'),
    from: Flags.string({description: 'Only calls from this namespace or namespace/name.'}),
    to: Flags.string({description: 'Only calls to this namespace or namespace/name.'}),
    'include-denied': Flags.boolean({
      description: 'Mermaid and DOT: draw denied calls too (dashed). Tables and JSON always list them.',
      default: false,
    }),
    full: Flags.boolean({
      description: 'List every call even when there are more than 500 (by default they are counted per namespace).',
      default: false,
    }),
  };

  public async run(): Promise<ReachabilityModel | ReachabilitySummary> {
    const {argv, flags} = await this.parse(ValidateReachability);
    const result = await reachability({...inputOf(argv as string[], flags), from: flags.from, to: flags.to},
      validateDeps(this.deps));
    for (const problem of result.problems) {
      this.note(`${problem.file}:${problem.line}: ${problem.message} (${problem.code})`);
    }
    // The graph of input that `validate` rejects is not a green light: exit as validate would.
    if (result.problems.length > 0) this.resultExitCode = EXIT.findings;
    if (isSummarised(result.model, flags.full)) {
      if (flags.output === 'mermaid' || flags.output === 'dot') {
        throw invalidFlag('output', flags.output, `cannot draw ${result.model.edges.length} calls readably`,
          'pass --from/--to to narrow the graph, or --full to draw it anyway');
      }
      const summary = summariseReachability(result.model);
      if (!this.jsonEnabled()) printed(renderReachabilitySummary(flags.output, summary), (line) => this.log(line));
      return summary;
    }
    if (!this.jsonEnabled()) {
      printed(renderReachability(flags.output, result.model, {includeDenied: flags['include-denied']}),
        (line) => this.log(line));
    }
    return result.model;
  }
}
