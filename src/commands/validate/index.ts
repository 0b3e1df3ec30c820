import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {outputFlag} from '../../base/flags.js';
import {validateDeps} from '../../actions/validate/deps.js';
import {validate} from '../../actions/validate/run.js';
import {inputFlags, inputOf, pathArgs, printed} from '../../base/validate-flags.js';
import {recordTimings, untimed} from '../../actions/timings.js';
import {catalogue} from '../../core/analyze/catalogue.js';
import {FAIL_ON_LEVELS} from '../../core/analyze/run.js';
import {FINDINGS_FORMATS, renderFindings} from '../../ui/findings/index.js';
import {toDocument, type FindingsDocument} from '../../ui/findings/json.js';

export default class Validate extends BaseCommand {
  static override summary = 'Analyse manifests or a live cluster for mesh misconfigurations';
  static override description =
    `Reads files, folders (recursively: .yaml, .yml, .json) and - (standard input, as helm template or kustomize build print it).
With no path it analyses the live cluster. Non-Kubernetes YAML is skipped; a YAML syntax error is reported (SM0003) and the rest is still analysed.

Exit codes, the same for every output format: 0 no finding at or above --fail-on, 3 findings at or above it, 2 bad usage or unreadable input, 1 internal failure.`;

  static override examples = [
    '<%= config.bin %> validate k8s/',
    'helm template charts/app | <%= config.bin %> validate -',
    '<%= config.bin %> validate deploy/ -o sarif > validate.sarif',
    '<%= config.bin %> validate -n payments',
    '<%= config.bin %> validate deploy/ --cluster --context staging',
    '<%= config.bin %> validate k8s/ --suppress "IST0102=Namespace *" --fail-on warning',
  ];

  static override strict = false;
  static override args = pathArgs;

  static override flags = {
    ...inputFlags,
    output: outputFlag(FINDINGS_FORMATS, 'table'),
    'fail-on': Flags.option({description: 'Exit 3 when a finding is at or above this severity.',
      options: FAIL_ON_LEVELS, default: 'error'})(),
    suppress: Flags.string({
      description: 'Hide findings: CODE=Kind name-glob (name, namespace/name or name.namespace). Repeatable.',
      multiple: true,
    }),
    'mesh-networks': Flags.string({
      description:
        "MeshNetworks YAML (Istio's meshNetworks), or the istio ConfigMap holding it: networks whose endpoints name an unknown registry are reported (IST0126).",
    }),
    complete: Flags.boolean({
      description:
        'The files hold every object they refer to (Services, pods, Secrets, namespaces): report what is missing everywhere, not only where the files hold objects of that kind. A live cluster is always complete.',
      default: false,
    }),
    'alpha-annotations': Flags.boolean({
      description:
        'Also report annotations of alpha-phase Istio features (IST0136), which istioctl analyze leaves out of its default run.',
      default: false,
    }),
  };

  public async run(): Promise<FindingsDocument> {
    const {argv, flags} = await this.parse(Validate);
    const timings = process.env.SPARC_MESH_TIMING ? recordTimings() : undefined;
    const result = await validate({...inputOf(argv as string[], flags), suppress: flags.suppress ?? [],
      failOn: flags['fail-on'], alphaAnnotations: flags['alpha-annotations'], meshNetworksFile: flags['mesh-networks'],
      complete: flags.complete}, {...validateDeps(this.deps), ...(timings && {time: timings.time})});
    this.resultExitCode = result.exitCode;
    for (const note of result.notes) this.note(`note: ${note}`);
    for (const note of result.notes) this.note(`note: ${note}`);
    if (!this.jsonEnabled()) {
      printed((timings?.time ?? untimed)('output', () => renderFindings(flags.output, result.report, {
        color: this.colored(),
        catalogue: catalogue(),
        cwd: process.cwd(),
        toolVersion: this.config.version,
        pseudoFiles: result.pseudoFiles,
        failOn: flags['fail-on'],
        resources: result.resources,
      })), (line) => this.log(line));
    }
    if (timings) this.logToStderr(timings.report());
    return toDocument(result.report);
  }
}
