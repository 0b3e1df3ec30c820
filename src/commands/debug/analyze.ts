import {BaseCommand} from '../../base/command.js';
import {connectionFlags, outputFlag} from '../../base/flags.js';
import {singleConnection} from '../../base/flag-input.js';
import {printed} from '../../base/validate-flags.js';
import {validateDeps} from '../../actions/validate/deps.js';
import {validate} from '../../actions/validate/run.js';
import {catalogue} from '../../core/analyze/catalogue.js';
import {FINDINGS_FORMATS, renderFindings} from '../../ui/findings/index.js';
import {toDocument, type FindingsDocument} from '../../ui/findings/json.js';

export default class DebugAnalyze extends BaseCommand {
  static override summary = 'Analyse one namespace of the live cluster, as istioctl analyze -n does';
  static override description =
    `The seed's \`istioctl analyze -n NS\`, answered by validate's analysers (Istio's IST codes and sparc-mesh's SM codes) over the live namespace and Istio's root namespace. Exit 3 when a finding is an error.`;

  static override examples = ['<%= config.bin %> debug analyze -n shop',
    '<%= config.bin %> debug analyze -n shop -o json'];

  static override flags = {
    ...connectionFlags,
    output: outputFlag(FINDINGS_FORMATS, 'table'),
  };

  public async run(): Promise<FindingsDocument> {
    const {flags} = await this.parse(DebugAnalyze);
    const result = await validate({paths: [], cluster: false, connection: singleConnection(flags, 'debug analyze'),
      namespace: flags.namespace, allNamespaces: false, suppress: [], failOn: 'error'}, validateDeps(this.deps));
    this.resultExitCode = result.exitCode;
    if (!this.jsonEnabled()) {
      printed(
        renderFindings(flags.output, result.report, {color: this.colored(), catalogue: catalogue(), cwd: process.cwd(),
          toolVersion: this.config.version, pseudoFiles: result.pseudoFiles, failOn: 'error',
          resources: result.resources}),
        (line) => this.log(line),
      );
    }
    return toDocument(result.report);
  }
}
