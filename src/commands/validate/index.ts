import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {connectionFlags, outputFlag} from '../../base/flags.js';
import {singleConnection} from '../../actions/apply/cluster-input.js';
import {defaultValidateDeps, validate} from '../../actions/validate.js';
import {recordTimings, untimed} from '../../actions/timings.js';
import {catalogue} from '../../core/analyze/catalogue.js';
import {FAIL_ON_LEVELS} from '../../core/analyze/run.js';
import {FINDINGS_FORMATS, renderFindings} from '../../ui/findings/index.js';
import {toDocument, type FindingsDocument} from '../../ui/findings/json.js';

export default class Validate extends BaseCommand {
  static override summary = 'Analyse manifests or a live cluster for mesh misconfigurations';
  static override description = `Reads files, folders (recursively: .yaml, .yml, .json) and - (standard input, as helm template or kustomize build print it).
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
  static override args = {
    path: Args.string({description: 'Files, folders or - (standard input). None: analyse the live cluster.'}),
  };

  /** Where objects come from; `validate reachability` takes the same. */
  static inputFlags = {
    ...connectionFlags,
    'all-namespaces': Flags.boolean({char: 'A', description: 'Live: analyse every namespace.', default: false, helpGroup: 'CONNECTION'}),
    cluster: Flags.boolean({description: 'With paths: add the live cluster\'s objects as context for the files (findings are reported for the files).', default: false, helpGroup: 'CONNECTION'}),
    'mesh-config': Flags.string({description: 'MeshConfig YAML (as istioctl --meshConfigFile), or the istio ConfigMap holding it.'}),
  };

  static override flags = {
    ...Validate.inputFlags,
    output: outputFlag(FINDINGS_FORMATS, 'table'),
    'fail-on': Flags.option({description: 'Exit 3 when a finding is at or above this severity.', options: FAIL_ON_LEVELS, default: 'error'})(),
    suppress: Flags.string({description: 'Hide findings: CODE=Kind name-glob (name, namespace/name or name.namespace). Repeatable.', multiple: true}),
    'alpha-annotations': Flags.boolean({description: 'Also report annotations of alpha-phase Istio features (IST0136), which istioctl analyze leaves out of its default run.', default: false}),
  };

  static inputOf(paths: string[], flags: {kubeconfig?: string; context?: string[]; namespace?: string; 'all-namespaces': boolean; cluster: boolean; 'mesh-config'?: string}) {
    return {
      paths,
      cluster: flags.cluster,
      connection: singleConnection(flags, 'validate'),
      namespace: flags.namespace,
      allNamespaces: flags['all-namespaces'],
      meshConfigFile: flags['mesh-config'],
    };
  }

  public async run(): Promise<FindingsDocument> {
    const {argv, flags} = await this.parse(Validate);
    const timings = process.env.SPARC_MESH_TIMING ? recordTimings() : undefined;
    const result = await validate({...Validate.inputOf(argv as string[], flags), suppress: flags.suppress ?? [], failOn: flags['fail-on'], alphaAnnotations: flags['alpha-annotations']},
      timings ? {...defaultValidateDeps, time: timings.time} : defaultValidateDeps);
    this.resultExitCode = result.exitCode;
    for (const note of result.notes) this.note(`note: ${note}`);
    if (!this.jsonEnabled()) {
      process.stdout.write((timings?.time ?? untimed)('output', () => renderFindings(flags.output, result.report, {
        color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
        catalogue: catalogue(),
        cwd: process.cwd(),
        toolVersion: this.config.version,
        pseudoFiles: result.pseudoFiles,
        failOn: flags['fail-on'],
        resources: result.resources,
      })));
    }
    if (timings) process.stderr.write(`${timings.report()}\n`);
    return toDocument(result.report);
  }
}
